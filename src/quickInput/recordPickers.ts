import * as vscode from 'vscode';
import type { CrmClient } from '../api/client';
import type { Contact, Customer, Location } from '../api/schemas';
import { errorMessage, UserCancelled } from '../common/commands';
import { formatAddress, personName } from '../model/entities';

interface RecordItem<T> extends vscode.QuickPickItem {
  record?: T;
  none?: true;
}

/**
 * A quick pick that searches the server as the user types (debounced; a newer search cancels
 * the older one), so records that were never loaded in the tree can be chosen.
 */
async function searchPick<T>(options: {
  title: string;
  placeholder: string;
  search: (text: string, signal: AbortSignal) => Promise<RecordItem<T>[]>;
  noneItem?: RecordItem<T>;
}): Promise<RecordItem<T>> {
  const pick = vscode.window.createQuickPick<RecordItem<T>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Enter pressed before the results for the typed text arrived picks from those results, not the old ones.
  let searching = false;
  let acceptWhenDone = false;
  let accept: () => void = () => undefined;
  const run = (text: string) => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    searching = true;
    pick.busy = true;
    options
      .search(text.trim(), current.signal)
      .then((items) => {
        if (current.signal.aborted) return;
        pick.items = [...(options.noneItem ? [options.noneItem] : []), ...items];
        if (items.length === 0) pick.items = [...pick.items, { label: text.trim() ? `No match for “${text.trim()}”` : 'Nothing found', alwaysShow: true }];
        // Typed text means a search: the first match, not "no customer", is the natural choice.
        const firstMatch = items[0];
        if (firstMatch && text.trim()) pick.activeItems = [firstMatch];
        searching = false;
        if (acceptWhenDone) {
          acceptWhenDone = false;
          accept();
        }
      })
      .catch((error: unknown) => {
        if (current.signal.aborted) return;
        searching = false;
        acceptWhenDone = false;
        pick.items = [{ label: `$(error) ${errorMessage(error)}`, alwaysShow: true }];
      })
      .finally(() => {
        if (controller === current) pick.busy = false;
      });
  };
  return new Promise<RecordItem<T>>((resolve, reject) => {
    let settled = false;
    pick.onDidChangeValue((text) => {
      clearTimeout(timer);
      searching = true;
      timer = setTimeout(() => run(text), 250);
    });
    accept = () => {
      const chosen = pick.activeItems[0] ?? pick.selectedItems[0];
      if (!chosen || (!chosen.record && !chosen.none)) return;
      settled = true;
      resolve(chosen);
      pick.hide();
    };
    pick.onDidAccept(() => {
      if (searching) acceptWhenDone = true;
      else accept();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      controller?.abort();
      pick.dispose();
      if (!settled) reject(new UserCancelled());
    });
    pick.show();
    run('');
  });
}

/** Asks for a customer, searching by name (or by ID when digits are typed). Undefined: "no customer". */
export async function pickCustomer(client: CrmClient, options: { title: string; allowNone?: string }): Promise<Customer | undefined> {
  const chosen = await searchPick<Customer>({
    title: options.title,
    placeholder: 'Type to search customers by name, or enter a customer ID',
    noneItem: options.allowNone ? { label: options.allowNone, none: true, alwaysShow: true } : undefined,
    search: async (text, signal) => {
      const byId = /^\d{1,19}$/.test(text);
      const page = await client.listCustomers(byId ? { ids: text, pageSize: 20, active: 'Any' } : { name: text || undefined, pageSize: 20, active: 'Any' }, {
        signal,
      });
      return page.data.map((customer) => ({
        label: customer.name,
        description: `#${customer.id} · ${customer.type}${customer.active ? '' : ' · inactive'}`,
        detail: formatAddress(customer.address),
        alwaysShow: true,
        record: customer,
      }));
    },
  });
  return chosen.record;
}

/** Asks for a person (people contact), searching by name. */
export async function pickPerson(client: CrmClient, options: { title: string }): Promise<Contact> {
  const chosen = await searchPick<Contact>({
    title: options.title,
    placeholder: 'Type to search contacts by name',
    search: async (text, signal) => {
      const page = await client.listContacts({ name: text || undefined, pageSize: 20 }, { signal });
      return page.data.map((contact) => ({
        label: personName(contact),
        description: [contact.title, contact.isArchived ? 'archived' : undefined].filter(Boolean).join(' · '),
        detail: contact.id,
        alwaysShow: true,
        record: contact,
      }));
    },
  });
  if (!chosen.record) throw new UserCancelled();
  return chosen.record;
}

interface LocationItem extends vscode.QuickPickItem {
  location: Location;
}

/** Asks for a customer (searching the server), then for one of its locations (skipped when it has one). */
export async function pickLocation(client: CrmClient, options: { title: string }): Promise<Location> {
  const customer = await pickCustomer(client, { title: `${options.title} (first its customer)` });
  if (!customer) throw new UserCancelled();
  const locations = await client.allLocations({ customerId: customer.id, active: 'Any' });
  const only = locations.length === 1 ? locations[0] : undefined;
  if (only) return only;
  if (locations.length === 0) throw new Error(`Customer ${customer.name} (#${customer.id}) has no locations.`);
  const items: LocationItem[] = locations.map((location) => ({
    label: location.name,
    description: `#${location.id}${location.active ? '' : ' · inactive'}`,
    detail: formatAddress(location.address),
    location,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: `Which location of ${customer.name}?`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen) throw new UserCancelled();
  return chosen.location;
}

// How contact values compare: phones by their digits (a leading US country code aside), e-mails
// as trimmed lower-case text. Duplicate checks, the `phone` filter of customers, the `value`
// filter of contact methods and their exact-match indexes all compare this way.

export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** What phone equality compares: the digits without a leading US country code ('' when there are none). */
export function phoneKey(text: string): string {
  const digits = digitsOf(text);
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

/** Phone equality on digits, ignoring a leading US country code. */
export function samePhone(a: string, b: string): boolean {
  const key = phoneKey(a);
  return key.length > 0 && key === phoneKey(b);
}

/** Phone, MobilePhone and Fax hold phone numbers; Email does not. */
export function isPhoneType(type: string): boolean {
  return type !== 'Email';
}

/**
 * What contact value equality compares, for exact-match indexes: the phone key of a phone (undefined
 * without digits, which equals nothing), the trimmed lower-case text of an e-mail.
 */
export function contactValueKey(type: string, value: string): string | undefined {
  if (!isPhoneType(type)) return value.trim().toLowerCase();
  const key = phoneKey(value);
  return key.length > 0 ? key : undefined;
}

/** Whether two values of a contact type are the same contact value. */
export function sameContactValue(type: string, a: string, b: string): boolean {
  const key = contactValueKey(type, a);
  return key !== undefined && key === contactValueKey(type, b);
}

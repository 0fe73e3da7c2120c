/**
 * The record commands, loaded together on first use (dist/record-commands.js, scripts/build.mjs):
 * create, edit, delete and archive, with the quick inputs, pickers and write plans they use.
 * The tree's first page needs none of them; extension.ts registers the commands on activation.
 */
export { CreateCommands } from './createCommands';
export { DeleteCommands } from './deleteCommands';
export { EditCommands } from './editCommands';

export * from './common';
export * from './customers';
export * from './locations';
export * from './contacts';
export * from './contactMethods';
export * from './operations';

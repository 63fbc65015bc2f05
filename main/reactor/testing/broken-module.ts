// A reactor module that fails while loading, for the library's tests.
throw new Error('this module is broken on purpose');
export {};

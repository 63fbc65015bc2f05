/** Fired on window to move focus to the search box (the toolbar owns the element). */
export const SEARCH_EVENT = 'skein:focus-search';

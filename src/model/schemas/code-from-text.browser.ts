/** In the page: no code made from text (its Content-Security-Policy forbids it). */
export const CODE_FROM_TEXT_ALLOWED = false;

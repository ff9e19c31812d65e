/**
 * Whether the schema predicates may be made from text (`new Function`), which makes them several
 * times faster. The browser twin says no: the playground's Content-Security-Policy forbids it, and
 * even trying is reported there as a violation.
 */
export const CODE_FROM_TEXT_ALLOWED = true;

/// <reference lib="dom" />
import type { Lang } from '../../analysis/explain/language.js';
import { el } from '../dom.js';
import type { PageContext } from '../context.js';

const LANGS: { lang: Lang; label: string }[] = [
  { lang: 'en', label: 'English' },
  { lang: 'zh', label: '中文' },
];

/** Buttons that switch the explanations' language (one switch for the whole page). */
export function langSwitch(ctx: PageContext): { node: HTMLElement; update(): void } {
  const node = el('div', { role: 'group', 'aria-label': 'Language of the explanations', class: 'lang-switch' });
  const buttons = LANGS.map(({ lang, label }) => {
    const b = el('button', { type: 'button', 'data-testid': `lang-${lang}`, lang, 'aria-pressed': String(ctx.lang() === lang) }, label);
    b.addEventListener('click', () => ctx.setLang(lang));
    node.append(b);
    return { b, lang };
  });
  return {
    node,
    update() {
      for (const { b, lang } of buttons) b.setAttribute('aria-pressed', String(ctx.lang() === lang));
    },
  };
}

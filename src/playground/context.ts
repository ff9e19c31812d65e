import type { Lang } from '../analysis/explain/language.js';
import type { EngineClient } from './engine-client.js';
import type { Analysis } from './engine.js';

/** What the views share: the engine of the current input, its analysis, the language. */
export interface PageContext {
  engine(): EngineClient;
  /** An engine for a stateless question about this many characters (a diff): the worker's for large ones. */
  engineFor(chars: number): EngineClient;
  analysis(): Analysis | null;
  /** The text the analysis is of. */
  text(): string;
  lang(): Lang;
  setLang(lang: Lang): void;
  showTab(id: TabId): void;
  /** Shows line `line` of an output in the Rules view, with its explanation. */
  showRule(outputId: string, line: number): void;
  /** Selects a line of the input box. */
  showInputLine(line: number): void;
}

export type TabId = 'rules' | 'explain' | 'findings' | 'trace' | 'graph' | 'diff';

export interface View {
  id: TabId;
  label: string;
  panel: HTMLElement;
  /** A new analysis (or none): draw it. */
  render(analysis: Analysis | null): void;
  /** The language changed. */
  relang?(): void;
  /** The view's tab was selected. */
  shown?(): void;
}

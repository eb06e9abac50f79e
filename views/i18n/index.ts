import { makeTranslator, mergeCatalogs, type Lang, type T } from './translator.ts';
import { common } from './common.ts';

// Each screen keeps its strings in its own file here; list it once below.
export const CATALOG = mergeCatalogs(common);

export const translator = (lang: Lang): T => makeTranslator(CATALOG, lang);
export { LANGS, LANG_NAMES, type Lang, type T, type Catalog } from './translator.ts';

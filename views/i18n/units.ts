import type { Catalog } from './translator.ts';

// Units shown beside numbers (the usage report's response times).
export const units: Catalog = {
  en: { 'unit.seconds': '{n} s', 'unit.minutes': '{n} min', 'unit.hours': '{n} h' },
  ru: { 'unit.seconds': '{n} с', 'unit.minutes': '{n} мин', 'unit.hours': '{n} ч' },
  kk: { 'unit.seconds': '{n} сек', 'unit.minutes': '{n} мин', 'unit.hours': '{n} сағ' },
};

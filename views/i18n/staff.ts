import type { Catalog } from './translator.ts';

// Operator staff (admins and support); column names come from the members catalog.
export const staff: Catalog = {
  en: { 'staff.title': 'Operator staff', 'staff.add': 'Add a staff user', 'staff.totp': 'Second factor' },
  ru: { 'staff.title': 'Сотрудники оператора', 'staff.add': 'Добавить сотрудника', 'staff.totp': 'Второй фактор' },
  kk: { 'staff.title': 'Оператор қызметкерлері', 'staff.add': 'Қызметкер қосу', 'staff.totp': 'Екінші фактор' },
};

export const STAFF_ROLES = ['admin', 'support'] as const;
export const MEMBER_ROLES = ['owner', 'representative', 'agent'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type Role = StaffRole | MemberRole;

export const isStaffRole = (r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r);
export const isMemberRole = (r: string): r is MemberRole => (MEMBER_ROLES as readonly string[]).includes(r);
export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (l: string | undefined): l is Language => !!l && (LANGUAGES as readonly string[]).includes(l);

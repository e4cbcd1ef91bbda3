/** Role and level names for the admin pages, from the one label table in i18n.ts. */
import { label } from './i18n';
import { ROLES } from './domain/glossary';

export const roleName = (role: string) => label('zh', 'role', role);
export const levelName = (level: string) => label('zh', 'level', level);

/** Every role with its Chinese and English name, for a role picker. */
export const ROLE_OPTIONS = ROLES.map((role) => ({ role, zh: label('zh', 'role', role), en: label('en', 'role', role) }));

export { SETTINGS, settingSpec, type SettingSpec } from './registry.ts';
export { getSetting, setSetting, hasSetting } from './settings.ts';

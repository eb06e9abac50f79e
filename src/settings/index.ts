export { SETTINGS, settingSpec, type SettingSpec } from './registry.ts';
export { getSetting, setSetting, setSettings, hasSetting, storedSettings, parseSettingValue, type SettingsGuard, type SettingsChange } from './settings.ts';
export { settingKind, integerRange, type SettingKind } from './value-kind.ts';

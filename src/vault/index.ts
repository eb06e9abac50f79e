export { Vault, isSealed, keyIdOf, deriveKeyFrom } from './seal.ts';
export { readMasterKey, writeKeyFile, generateKey, parseKey, type KeySource } from './key-source.ts';
export { unlockVault, checkMasterKey } from './unlock.ts';
export { rotateKey } from './rotate.ts';

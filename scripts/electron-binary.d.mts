export declare const ROOT: string;
export declare function findElectronBinary(
  root?: string,
  env?: NodeJS.ProcessEnv,
  platform?: NodeJS.Platform,
): { path: string; reason: null } | { path: null; reason: string };

export declare function electronInstaller(
  root: string,
): { path: string; version: string | null; reason: null } | { path: null; version: string | null; reason: string };
export declare function runElectronInstaller(installer: string, options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<string | null>;
export declare const USERNS_RESTRICTION: string;
export declare function linuxSandboxProblem(
  binary: string,
  options?: { platform?: NodeJS.Platform; restrictionFile?: string; profileDir?: string },
): string | null;

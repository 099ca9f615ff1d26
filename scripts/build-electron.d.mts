export declare function buildElectron(options?: { quiet?: boolean }): Promise<void>;

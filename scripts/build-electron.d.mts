export declare function buildElectron(options?: { quiet?: boolean }): Promise<void>;
/** The write worker's bundle name beside main.cjs (write-worker-main.cjs). */
export declare const WRITE_WORKER: string;
/** The fetch worker's bundle name beside main.cjs (fetch-worker-main.cjs). */
export declare const FETCH_WORKER: string;

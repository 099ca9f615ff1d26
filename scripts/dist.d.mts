export declare function signingPlan(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { env: Record<string, string>; notes: string[]; error: string | null };

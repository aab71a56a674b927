/** Types of generate.mjs, for the drift test. */
export declare const SCHEMA_FILE: string;
export declare function schemaTypes(document: unknown): Promise<string>;

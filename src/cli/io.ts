/** Where a command writes; a test passes buffers, the binary passes the process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: istioctl's for findings, 1 for input that cannot be read. */
export const EXIT_OK = 0;
export const EXIT_UNREADABLE = 1;
export const EXIT_FINDINGS = 79;

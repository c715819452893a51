export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
}

export type Command = {
  name: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
};

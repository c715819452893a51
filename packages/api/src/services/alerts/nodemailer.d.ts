// nodemailer ships no types and @types/nodemailer is not a dependency: only what digest.ts uses.
declare module "nodemailer" {
  export interface SendMailOptions {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    replyTo?: string;
  }
  export interface SentMessageInfo {
    messageId: string;
    accepted: string[];
    rejected: string[];
    response: string;
  }
  /** What a failed send rejects with: `responseCode` is the SMTP reply code when the server gave one. */
  export interface SmtpError extends Error {
    code?: string;
    responseCode?: number;
    response?: string;
  }
  export interface Transporter {
    sendMail(options: SendMailOptions): Promise<SentMessageInfo>;
    close(): void;
  }
  /** A connection URL (`smtp://user@host:587?requireTLS=true`); query keys become transport options. */
  export function createTransport(url: string): Transporter;
  const nodemailer: { createTransport: typeof createTransport };
  export default nodemailer;
}

import { z } from "zod";

/**
 * Who a node's morning report goes to. The TSM server's record (its CONTACT and EMAIL_ADDRESS,
 * brought in by the collector) is the source unless staff have set a value for the node: staff
 * fill in what the server does not say, or correct what it says wrongly.
 */

/** The owner facts of one node: the server's, and staff's where staff set them. */
export interface OwnerFacts {
  /** The server's CONTACT: free text, often a name, sometimes an address. */
  contact: string | null;
  /** The server's EMAIL_ADDRESS. */
  email: string | null;
  staffContact: string | null;
  staffEmail: string | null;
}

/** Where the address a report goes to comes from. */
export const ownerSource = z.enum(["staff", "server-email", "server-contact"]);
export type OwnerSource = z.infer<typeof ownerSource>;

export interface NodeOwner {
  /** The person or team as named (staff's, else the server's CONTACT). */
  name: string | null;
  /** Where the report goes; null: nobody gets one for this node. */
  address: string | null;
  addressSource: OwnerSource | null;
}

/** The words for a source, as the node page and the report page say them. */
export const ownerSourceWords: Record<OwnerSource, string> = {
  staff: "set by staff",
  "server-email": "from the TSM server's e-mail address",
  "server-contact": "from the TSM server's contact",
};

// A pragmatic address shape (one @, a dot in the domain, no spaces): what a CONTACT field holds
// when it holds an address at all. Not RFC 5322; the mail server is the final judge.
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

/** The first e-mail address inside free text ("J. Smith <js@uni.ac.uk>, x1234"), lower-cased. */
export function addressIn(text: string | null | undefined): string | null {
  const found = text ? ADDRESS.exec(text) : null;
  return found ? found[0].toLowerCase() : null;
}

const blank = (s: string | null | undefined) => (s && s.trim() !== "" ? s.trim() : null);

export function nodeOwner(f: OwnerFacts): NodeOwner {
  const name = blank(f.staffContact) ?? blank(f.contact);
  const staff = addressIn(f.staffEmail);
  if (staff) return { name, address: staff, addressSource: "staff" };
  const server = addressIn(f.email);
  if (server) return { name, address: server, addressSource: "server-email" };
  // A CONTACT staff typed is theirs; an address in it counts as staff's.
  const inStaffContact = addressIn(f.staffContact);
  if (inStaffContact) return { name, address: inStaffContact, addressSource: "staff" };
  const inContact = addressIn(f.contact);
  if (inContact) return { name, address: inContact, addressSource: "server-contact" };
  return { name, address: null, addressSource: null };
}

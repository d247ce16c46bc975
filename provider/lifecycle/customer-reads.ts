/**
 * One read of a customer's qualifications per provider process, shared: concurrent and later reads
 * of the same customer get the same answer. This process's own POST to the customer updates that
 * answer with what the POST created (or, when its outcome is unknown, drops it, so that the next
 * read asks again). A provider process serves one Pulumi operation, so "per process" is "per run";
 * a customer with two qualifications is read once, not twice.
 */
import type { QualificationRecord } from "../client";
import { sameQualification } from "../qualification";

/** Reads a customer's qualifications from Partner Center. */
export type ReadQualifications = (customerId: string) => Promise<QualificationRecord[]>;

/** The shared reads of customers' qualifications. */
export class CustomerReads {
  readonly #read: ReadQualifications;
  readonly #answers = new Map<string, Promise<QualificationRecord[]>>();

  constructor(read: ReadQualifications) {
    this.#read = read;
  }

  /** The customer's qualifications: the answer of an earlier or running read when there is one. */
  get(customerId: string): Promise<QualificationRecord[]> {
    const key = customerId.toLowerCase();
    return this.#answers.get(key) ?? this.#start(key);
  }

  /** Reads the customer again now, for callers that must see the service's latest answer. */
  fresh(customerId: string): Promise<QualificationRecord[]> {
    return this.#start(customerId.toLowerCase());
  }

  /** Adds what this process's POST created to the customer's answer, when there is one. */
  recordCreated(customerId: string, created: QualificationRecord): void {
    const key = customerId.toLowerCase();
    const answer = this.#answers.get(key);
    if (answer === undefined) return;
    const same = (q: QualificationRecord): boolean => sameQualification(q.qualification, created.qualification);
    this.#answers.set(
      key,
      answer.then((list) => [...list.filter((q) => !same(q)), created]),
    );
  }

  /** Forgets the customer's answer: this process may have changed what the customer holds. */
  forget(customerId: string): void {
    this.#answers.delete(customerId.toLowerCase());
  }

  #start(key: string): Promise<QualificationRecord[]> {
    const answer = this.#read(key);
    this.#answers.set(key, answer);
    // A failed read is not an answer: the next caller tries again.
    answer.catch(() => {
      if (this.#answers.get(key) === answer) this.#answers.delete(key);
    });
    return answer;
  }
}

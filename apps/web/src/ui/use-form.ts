import { useEffect, useRef, useState, type FormEvent } from 'react';
import { checkInput, fieldIssues, toProblem, type Problem } from '../lib/problems.ts';

type Schema = Parameters<typeof checkInput>[0];

/** A box marked invalid (Field's aria-invalid), or a part of the form that says so itself (a list to add to). */
const INVALID = '[aria-invalid="true"], [data-invalid="true"]';

/**
 * What every form here does the same way: checks its input with the API's own schema before sending it (the same
 * words as when the server refuses it), shows the problem (BAD_INPUT issues on their fields, the rest in the
 * form's message), puts the cursor on the first thing to fix, and is busy while its call runs.
 *
 * `fields` are the boxes on screen, named as the schema's paths.
 */
export function useForm<F extends string>(fields: readonly F[]) {
  const ref = useRef<HTMLFormElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  // The state is a render late: a quick second press must not send twice.
  const running = useRef(false);

  // After a failed submit: the label and error of the box are read out, and the person can type straight away.
  useEffect(() => {
    if (problem) ref.current?.querySelector<HTMLElement>(INVALID)?.focus();
  }, [problem]);

  /** Says what is wrong with `input`, or clears the last problem; true when it may be sent. */
  const check = (schema: Schema, input: unknown): boolean => {
    const local = checkInput(schema, input);
    setProblem(local);
    return local === null;
  };

  /** A call that failed, in the person's words. */
  const fail = (error: unknown) => setProblem(toProblem(error));

  /**
   * Sends `input` once it passes `schema`. Busy until `send` settles, and that includes what follows a success
   * (signing in and moving on), so the button never invites a second go.
   */
  const submit = <I>(schema: Schema, input: I, send: (input: I) => Promise<unknown>): void => {
    if (running.current || !check(schema, input)) return;
    running.current = true;
    setPending(true);
    send(input)
      .catch(fail)
      .finally(() => {
        running.current = false;
        setPending(false);
      });
  };

  /** For <form onSubmit>: the browser's own submit is replaced by `then`. */
  const onSubmit = (then: () => void) => (event: FormEvent) => {
    event.preventDefault();
    then();
  };

  return { ref, problem, setProblem, pending, check, fail, submit, onSubmit, ...fieldIssues(problem, fields) };
}

import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { Problem } from '../lib/problems.ts';
import { ProblemMessage, type ProblemWords } from './messages.tsx';

/**
 * A plain question before something hard to undo. The safe answer has focus first, so a stray Enter changes
 * nothing; Escape is the safe answer too.
 */
export function ConfirmStep(props: {
  question: string;
  no: string;
  yes: string;
  /** Shown on the yes button while the change is on its way. */
  busyYes: string;
  busy: boolean;
  problem: Problem | null;
  say?: ProblemWords;
  /** What to read or fill in before answering (what will happen, a password), between the question and the answers. */
  children?: ReactNode;
  onNo: () => void;
  onYes: () => void;
}) {
  const questionId = useId();
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => noRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={questionId}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        props.onNo();
      }}
    >
      <p id={questionId}>{props.question}</p>
      {/* A form, so Enter in a box above the answers (a password typed on purpose) answers yes, as forms do. */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onYes();
        }}
      >
        {props.children}
        <p className="actions">
          <button type="button" ref={noRef} className="button-secondary" data-autofocus onClick={props.onNo}>
            {props.no}
          </button>
          <button type="submit" className="button-danger" aria-disabled={props.busy || undefined}>
            {props.busy ? props.busyYes : props.yes}
          </button>
        </p>
      </form>
      <ProblemMessage problem={props.problem} say={props.say} />
    </div>
  );
}

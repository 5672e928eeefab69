import { useEffect, useId, useRef } from 'react';
import type { Problem } from '../lib/problems.ts';
import { ProblemMessage } from './messages.tsx';

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
      <p className="actions">
        <button type="button" ref={noRef} className="button-secondary" onClick={props.onNo}>
          {props.no}
        </button>
        <button type="button" className="button-danger" aria-disabled={props.busy || undefined} onClick={props.onYes}>
          {props.busy ? props.busyYes : props.yes}
        </button>
      </p>
      <ProblemMessage problem={props.problem} />
    </div>
  );
}

import { useMutation } from '@tanstack/react-query';
import { LIMITS, type User } from '@youngchat/shared';
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Avatar } from '../../ui/avatar.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useAuthSession } from '../auth/auth.hooks.ts';
import { checkPicture, PICTURE_TYPES } from './picture-check.ts';

const MAX_MB = Math.round(LIMITS.avatar.maxBytes / (1024 * 1024));

interface Chosen {
  file: File;
  /** blob: URL, the only kind of local image the page's CSP allows. */
  url: string;
}

/** Choose → see it → use it. Or remove the one there is. */
export function PictureSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const session = useAuthSession();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<'saved' | 'removed' | null>(null);
  const upload = useMutation(trpc.profile.setAvatar.mutationOptions());
  const remove = useMutation(trpc.profile.removeAvatar.mutationOptions());
  const busy = upload.isPending || remove.isPending;

  // Every preview URL pins its file in memory until revoked.
  useEffect(() => (chosen ? () => URL.revokeObjectURL(chosen.url) : undefined), [chosen]);

  const resetInput = () => {
    if (inputRef.current) inputRef.current.value = '';
  };

  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setDone(null);
    if (!file) return;
    const refused = checkPicture(file);
    if (refused) {
      setProblem({ code: refused, issues: [] });
      setChosen(null);
      resetInput();
      return;
    }
    setProblem(null);
    setChosen({ file, url: URL.createObjectURL(file) });
  };

  const onUse = () => {
    if (!chosen || busy) return;
    const form = new FormData();
    form.append('file', chosen.file);
    upload.mutate(form, {
      onSuccess: (updated) => {
        session.store.storeUser(updated);
        setChosen(null);
        resetInput();
        setProblem(null);
        setDone('saved');
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  const onCancel = () => {
    setChosen(null);
    setProblem(null);
    resetInput();
    inputRef.current?.focus();
  };

  const onRemove = () => {
    if (busy) return;
    setDone(null);
    remove.mutate(undefined, {
      onSuccess: (updated) => {
        session.store.storeUser(updated);
        setProblem(null);
        setDone('removed');
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <section className="panel" aria-labelledby="picture-heading">
      <h2 id="picture-heading">{t('profile.pictureHeading')}</h2>
      <div className="picture-current">
        <Avatar user={user} size="large" label={t('profile.currentPicture')} />
        {user.avatarUrl ? null : <p>{t('profile.noPicture')}</p>}
      </div>

      {chosen ? (
        <div className="picture-preview">
          <p>{t('profile.previewIntro')}</p>
          <img className="avatar avatar-large" src={chosen.url} alt={t('profile.preview')} />
          <div className="actions">
            <button type="button" className="button-primary" onClick={onUse} aria-disabled={busy || undefined}>
              {upload.isPending ? t('profile.uploading') : t('profile.usePicture')}
            </button>
            <button type="button" className="button-secondary" onClick={onCancel}>
              {t('profile.cancelPicture')}
            </button>
          </div>
        </div>
      ) : null}

      <div className="actions">
        <div className="file-picker">
          {/* The real input stays in the page (keyboard, screen readers, setInputFiles); the label is the big button. */}
          <input
            ref={inputRef}
            id={inputId}
            className="file-input"
            type="file"
            accept={PICTURE_TYPES.join(',')}
            aria-describedby={`${inputId}-hint`}
            onChange={onChoose}
          />
          <label htmlFor={inputId} className="button-secondary file-label">
            {t('profile.choosePicture')}
          </label>
        </div>
        {user.avatarUrl && !chosen ? (
          <button type="button" className="button-danger" onClick={onRemove} aria-disabled={busy || undefined}>
            {remove.isPending ? t('profile.removing') : t('profile.removePicture')}
          </button>
        ) : null}
      </div>
      <p id={`${inputId}-hint`} className="hint">
        {t('profile.choosePictureHint', { maxMb: MAX_MB })}
      </p>
      <ProblemMessage problem={problem} />
      <Notice>{done === 'saved' ? t('profile.pictureSaved') : done === 'removed' ? t('profile.pictureRemoved') : null}</Notice>
    </section>
  );
}

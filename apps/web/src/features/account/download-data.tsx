import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPCClient } from '../../lib/trpc.ts';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';

export const EXPORT_FILE_NAME = 'youngchat-data.json';

/** Hands `data` to the browser as a downloaded file, made here: nothing of it is kept by the page afterwards. */
function saveAsFile(fileName: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked at once, some browsers cancel the download before it starts; a minute is plenty for it to begin.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Everything the service holds about the person, as one file. */
export function DownloadData() {
  const { t } = useTranslation();
  const client = useTRPCClient();
  // Asked on demand and not cached: a copy of all one's messages has no business staying in the query cache.
  const download = useMutation({ mutationFn: () => client.account.export.query() });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);

  const onDownload = () => {
    if (download.isPending) return;
    setProblem(null);
    setDone(false);
    download.mutate(undefined, {
      onSuccess: (data) => {
        saveAsFile(EXPORT_FILE_NAME, data);
        setDone(true);
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">{t('account.dataHeading')}</h2>
      <p>{t('account.dataIntro')}</p>
      <p className="actions">
        <button type="button" className="button-secondary" aria-disabled={download.isPending || undefined} onClick={onDownload}>
          {download.isPending ? t('account.downloading') : t('account.download')}
        </button>
      </p>
      <ProblemMessage problem={problem} />
      <Notice>{done ? t('account.downloaded', { file: EXPORT_FILE_NAME }) : null}</Notice>
    </section>
  );
}

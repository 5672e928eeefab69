import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { takeHeadingFocus } from '../lib/router.ts';

/**
 * The one <h1> of a page. After a navigation it takes focus, so a screen reader announces the new page and a
 * keyboard user continues from its top instead of from a link that no longer exists. Also names the tab.
 */
export function PageHeading({ children, title }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();

  useEffect(() => {
    document.title = t('app.pageTitle', { page: title });
  }, [t, title]);

  useEffect(() => {
    if (takeHeadingFocus()) ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}

import { useTranslation } from 'react-i18next';
import { PATHS } from '../lib/router.ts';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="page narrow">
      <PageHeading title={t('notFound.title')} />
      <p className="lead">{t('notFound.body')}</p>
      <p>
        <Link to={PATHS.home} className="button-link">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}

import type { User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { PATHS } from '../../lib/router.ts';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { AboutForm } from './about-form.tsx';
import { BlockedPeople } from './blocked-people.tsx';
import { PictureSection } from './picture-section.tsx';

export function ProfilePage({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeading title={t('profile.title')} />
      <div className="panels">
        <PictureSection user={user} />
        <AboutForm user={user} />
        <BlockedPeople />
      </div>
      <p className="aside">
        <Link to={PATHS.account}>{t('account.title')}</Link>
      </p>
      <p className="aside">
        <Link to={PATHS.home}>{t('profile.back')}</Link>
      </p>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { PATHS } from '../../lib/router.ts';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { DeleteAccount } from './delete-account.tsx';
import { DevicesSection } from './devices-section.tsx';
import { DownloadData } from './download-data.tsx';

/** The password, where the account is signed in, a copy of one's data, and the way out. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeading title={t('account.title')} />
      <div className="panels">
        <ChangePasswordForm />
        <DevicesSection />
        <DownloadData />
        <DeleteAccount />
      </div>
      <p className="aside">
        <Link to={PATHS.profile}>{t('account.back')}</Link>
      </p>
    </div>
  );
}

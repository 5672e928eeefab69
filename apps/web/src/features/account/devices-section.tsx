import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '@youngchat/shared';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useAuthSession } from '../auth/auth.hooks.ts';
import { useLeaveForHome } from '../auth/logout-button.tsx';
import { longTime } from '../chat/chat.format.ts';
import { deviceName, orderDevices } from './devices.ts';

/** Every device signed in to this account, each but this one with a way to sign it out; or all at once. */
export function DevicesSection() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const devices = useQuery(trpc.auth.sessions.queryOptions());
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions());
  const client = useTRPCClient();
  const session = useAuthSession();
  const leaveForHome = useLeaveForHome();
  const everywhere = useMutation({
    mutationFn: () => session.endSession(() => client.auth.logoutEverywhere.mutate(), 'logged-out', leaveForHome),
  });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [signedOut, setSignedOut] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const onSignOut = (device: SessionInfo, name: string) => {
    if (revoke.isPending) return;
    setProblem(null);
    setSignedOut(null);
    revoke.mutate(
      { sessionId: device.id },
      {
        onSuccess: () => {
          queryClient.setQueryData(trpc.auth.sessions.queryKey(), (list) => list?.filter((d) => d.id !== device.id));
          void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
          setSignedOut(name);
          // The button that had focus is gone with its row: keep the person in this section.
          headingRef.current?.focus();
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  const onEverywhere = () => {
    if (everywhere.isPending) return;
    setProblem(null);
    everywhere.mutate(undefined, { onError: (error) => setProblem(toProblem(error)) });
  };

  return (
    <section className="panel" aria-labelledby="devices-heading" aria-busy={devices.isPending}>
      <h2 id="devices-heading" ref={headingRef} tabIndex={-1}>
        {t('account.devicesHeading')}
      </h2>
      <p className="hint">{t('account.devicesIntro')}</p>
      {devices.isPending ? <p>{t('app.loading')}</p> : null}
      {devices.isError && !devices.data ? (
        <p className="problem">
          {t('account.devicesError')}{' '}
          <button type="button" className="button-secondary" onClick={() => void devices.refetch()}>
            {t('chat.tryAgain')}
          </button>
        </p>
      ) : null}
      {devices.data ? (
        <ul className="devices">
          {orderDevices(devices.data).map((device) => (
            <DeviceRow
              key={device.id}
              device={device}
              busy={revoke.isPending}
              signingOut={revoke.isPending && revoke.variables?.sessionId === device.id}
              onSignOut={onSignOut}
            />
          ))}
        </ul>
      ) : null}
      <ProblemMessage problem={problem} />
      <Notice>{signedOut ? t('account.deviceSignedOut', { device: signedOut }) : null}</Notice>
      <p className="actions">
        <button
          type="button"
          className="button-danger"
          aria-describedby="everywhere-hint"
          aria-disabled={everywhere.isPending || undefined}
          onClick={onEverywhere}
        >
          {everywhere.isPending ? t('account.signingOut') : t('account.signOutEverywhere')}
        </button>
      </p>
      <p id="everywhere-hint" className="hint">
        {t('account.signOutEverywhereHint')}
      </p>
    </section>
  );
}

function DeviceRow(props: {
  device: SessionInfo;
  busy: boolean;
  signingOut: boolean;
  onSignOut: (device: SessionInfo, name: string) => void;
}) {
  const { device } = props;
  const { t, i18n } = useTranslation();
  const detailsId = useId();
  const name = deviceName(device.userAgent, t);
  return (
    <li className="device">
      <span className="device-text">
        <span className="device-name">
          {name}
          {device.current ? <span className="device-current">{t('account.thisDevice')}</span> : null}
        </span>
        <span id={detailsId} className="device-details">
          <span>
            {t('account.lastActive')} <time dateTime={device.lastActiveAt}>{longTime(device.lastActiveAt, i18n.language)}</time>
          </span>
          {device.place ? (
            <span>
              {t('account.place')} <span className="mono">{device.place}</span>
            </span>
          ) : null}
        </span>
      </span>
      {/* This device signs out with "Log out" at the top, like everywhere else. */}
      {device.current ? null : (
        <button
          type="button"
          className="button-secondary"
          aria-label={t('account.signOutDevice', { device: name })}
          aria-describedby={detailsId}
          aria-disabled={props.busy || undefined}
          onClick={() => props.onSignOut(device, name)}
        >
          {props.signingOut ? t('account.signingOut') : t('account.signOut')}
        </button>
      )}
    </li>
  );
}

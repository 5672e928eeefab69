import type { MailMessage } from '../../ports/mailer.ts';

/** Both languages in one mail: we do not know the reader's language before they sign in. */
export function codeMail(to: string, code: string, ttlMinutes: number): MailMessage {
  return {
    to,
    subject: `YOUng Chat 인증 코드 / verification code: ${code}`,
    text: [
      `YOUng Chat 인증 코드: ${code}`,
      `${ttlMinutes}분 안에 입력해 주세요. 요청하지 않으셨다면 이 메일을 무시하세요.`,
      '',
      `Your YOUng Chat verification code: ${code}`,
      `Enter it within ${ttlMinutes} minutes. If you did not ask for it, ignore this mail.`,
    ].join('\n'),
  };
}

/** Sent instead of a code when the email already has an account, so the answer on screen is the same. */
export function resetMail(to: string, code: string, ttlMinutes: number): MailMessage {
  return {
    to,
    subject: `YOUng Chat 비밀번호 재설정 코드 / password reset code: ${code}`,
    text: [
      `YOUng Chat 비밀번호 재설정 코드: ${code}`,
      `${ttlMinutes}분 안에 입력해 주세요. 요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 그대로입니다.`,
      '',
      `Your YOUng Chat password reset code: ${code}`,
      `Enter it within ${ttlMinutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
    ].join('\n'),
  };
}

export function alreadyRegisteredMail(to: string): MailMessage {
  return {
    to,
    subject: 'YOUng Chat 계정 안내 / about your account',
    text: [
      '이 이메일로 가입하려는 요청이 있었지만, 이미 계정이 있습니다. 로그인해 주세요.',
      '요청하지 않으셨다면 이 메일을 무시하세요.',
      '',
      'Someone asked to sign up with this email, but it already has an account. Please sign in instead.',
      'If it was not you, ignore this mail.',
    ].join('\n'),
  };
}

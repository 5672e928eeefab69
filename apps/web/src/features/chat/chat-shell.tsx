import type { User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { ChatList } from './chat-list.tsx';
import { LiveStatusBar } from './live-status.tsx';
import { RoomPage } from './room.page.tsx';
import { useViewportHeight } from './use-viewport-height.ts';

/**
 * The signed-in chat screen, filling the window: the list beside the open room on a desktop, one of the two on a
 * phone (the CSS decides by width, so turning a tablet needs no reload). Kept mounted across rooms, so the list
 * keeps its scroll position while the room beside it changes.
 */
export function ChatShell({ me, roomId }: { me: User; roomId: string | null }) {
  const { t } = useTranslation();
  useViewportHeight();
  return (
    <div className="chat-shell" data-room-open={roomId ? '' : undefined}>
      <LiveStatusBar />
      <div className="chat-panes">
        <div className="pane-list">
          <ChatList user={me} current={roomId} />
        </div>
        <div className="pane-room">
          {/* Keyed by room: another room is a fresh view (scroll position, composer, edit states). */}
          {roomId ? <RoomPage key={roomId} me={me} roomId={roomId} /> : <p className="no-room lead">{t('chat.chooseRoom')}</p>}
        </div>
      </div>
    </div>
  );
}

import { REACTIONS, type Reaction, type ReactionCount } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { Menu, type MenuAnchor } from '../../ui/menu.tsx';
import { reactedWith, reactionChips, REACTION_NAMES } from './chat.reactions.ts';

function useReactionName() {
  const { t } = useTranslation();
  return (emoji: Reaction) => t(`chat.reactionNames.${REACTION_NAMES[emoji]}`);
}

/**
 * Under a bubble: one chip per reaction given, "❤️ 2". Each is a toggle for my own (pressed when I gave it), and
 * says in words which reaction, how many and who.
 */
export function ReactionChips({
  reactions,
  me,
  nameOf,
  onToggle,
}: {
  reactions: readonly ReactionCount[];
  me: string;
  nameOf: (userId: string) => string;
  /** Absent while the message is not confirmed yet: the chips are then only shown. */
  onToggle?: (emoji: Reaction) => void;
}) {
  const { t, i18n } = useTranslation();
  const nameOfReaction = useReactionName();
  const chips = reactionChips(reactions, me, (id) => (id === me ? t('chat.youInList') : nameOf(id)));
  if (chips.length === 0) return null;
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' });
  return (
    <ul className="reactions" aria-label={t('chat.reactions')}>
      {chips.map((chip) => (
        <li key={chip.emoji}>
          <button
            type="button"
            className="reaction-chip"
            aria-pressed={chip.mine}
            aria-disabled={onToggle ? undefined : true}
            aria-label={t('chat.reactionChip', {
              emoji: chip.emoji,
              name: nameOfReaction(chip.emoji),
              count: chip.count,
              people: list.format(chip.more > 0 ? [...chip.names, t('chat.reactionMore', { count: chip.more })] : chip.names),
            })}
            onClick={() => onToggle?.(chip.emoji)}
          >
            {/* The name starts with exactly these words (what voice control users say to press it). */}
            {chip.emoji} {chip.count}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The six reactions in one row, each named, the ones I gave marked (choosing one again takes it back). */
export function ReactionPicker({
  reactions,
  me,
  anchor,
  onPick,
  onClose,
}: {
  reactions: readonly ReactionCount[];
  me: string;
  anchor: MenuAnchor;
  onPick: (emoji: Reaction) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const nameOfReaction = useReactionName();
  return (
    <Menu
      label={t('chat.react')}
      row
      anchor={anchor}
      onClose={onClose}
      actions={REACTIONS.map((emoji) => ({
        key: emoji,
        label: emoji,
        name: nameOfReaction(emoji),
        checked: reactedWith(reactions, me, emoji),
        onSelect: () => onPick(emoji),
      }))}
    />
  );
}

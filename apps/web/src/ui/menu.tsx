import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface MenuAction {
  key: string;
  label: string;
  onSelect: () => void;
  danger?: boolean;
  /** What a screen reader says when the label alone would not (an emoji). */
  name?: string;
  /** A choice that is on or off (a reaction given): read out as checked or not. */
  checked?: boolean;
}

/**
 * Where a menu opens: under a button (its box), or where the person pressed (right-click, long-press); `within` is
 * what it belongs to (the message, the button): the menu closes when that moves, and only then.
 */
export type MenuAnchor = ({ rect: DOMRect } | { x: number; y: number }) & { within: Element };

const ITEM = '[role="menuitem"], [role="menuitemcheckbox"]';

/** How far from the window's edges a menu stays. */
const EDGE_PX = 8;

/**
 * Opening and closing a menu, and where focus goes back to: the element that had it when the menu opened (the
 * menu button, or wherever the person was before a right-click), so Escape leaves them where they were.
 */
export function useMenu() {
  const [anchor, setAnchor] = useState<MenuAnchor | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const open = useCallback((at: MenuAnchor, focusAfter?: HTMLElement | null) => {
    const active = document.activeElement;
    returnTo.current = focusAfter ?? (active instanceof HTMLElement && active !== document.body ? active : null);
    setAnchor(at);
  }, []);
  // Focus goes back first and at once, so a dialog opened by the chosen action returns focus there too.
  const close = useCallback(() => {
    if (returnTo.current?.isConnected) returnTo.current.focus();
    setAnchor(null);
  }, []);
  return { anchor, open, close };
}

/**
 * A menu (ARIA menu pattern): arrows move, Home/End jump, Escape or Tab closes, a press outside closes. Drawn
 * over the page at the anchor (fixed, so a scrolling list never clips it), inside <main> so it stays in a
 * landmark, and outside the message log so opening it is not read out as a new message.
 */
export function Menu({
  label,
  actions,
  anchor,
  onClose,
  row = false,
}: {
  label: string;
  actions: MenuAction[];
  anchor: MenuAnchor;
  onClose: () => void;
  /** Laid out in one row (a reaction picker): the left and right arrows move too. */
  row?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  // How far what the menu belongs to has moved since it opened (the conversation scrolled under a new message).
  const [shift, setShift] = useState({ x: 0, y: 0, width: window.innerWidth, height: window.innerHeight });
  const ownerAtOpen = useRef<DOMRect | null>(null);

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    const viewWidth = window.visualViewport?.width ?? window.innerWidth;
    const viewHeight = window.visualViewport?.height ?? window.innerHeight;
    const [x, below, above] = 'rect' in anchor ? [anchor.rect.right - width, anchor.rect.bottom, anchor.rect.top] : [anchor.x, anchor.y, anchor.y];
    const top = below + shift.y + height + EDGE_PX <= viewHeight ? below + shift.y : Math.max(EDGE_PX, above + shift.y - height);
    const left = Math.min(Math.max(EDGE_PX, x + shift.x), viewWidth - width - EDGE_PX);
    setPlace({ left, top });
  }, [anchor, shift]);

  // Once, in the same commit as the items appear: keys pressed right after opening go to the menu, not the button.
  useLayoutEffect(() => {
    ownerAtOpen.current = anchor.within.getBoundingClientRect();
    ref.current?.querySelector<HTMLElement>(ITEM)?.focus();
  }, []);

  useEffect(() => {
    const outside = (event: Event) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    // A scroll or resize (the conversation moving under a new message, a phone keyboard going away) takes the menu
    // along with what it belongs to; once that is gone or off screen, the menu closes.
    const follow = () => {
      const was = ownerAtOpen.current;
      const now = anchor.within.getBoundingClientRect();
      if (!was) return;
      if (!anchor.within.isConnected || now.bottom < 0 || now.top > window.innerHeight) return onClose();
      const next = { x: now.left - was.left, y: now.top - was.top, width: window.innerWidth, height: window.innerHeight };
      setShift((at) => (Object.entries(next).every(([k, v]) => at[k as keyof typeof at] === v) ? at : next));
    };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [anchor, onClose]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(ITEM) ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        go(at + 1);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(items.length - 1);
        break;
      case 'Escape':
        onClose();
        break;
      case 'Tab':
        onClose(); // focus is back on the menu button; Tab then moves on from there
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const menu = (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      aria-orientation={row ? 'horizontal' : undefined}
      className={row ? 'menu menu-row' : 'menu'}
      // Measured first, unseen (yet focusable: the first item takes focus at once), then placed.
      style={place ? { left: place.left, top: place.top } : { opacity: 0, left: 0, top: 0 }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {actions.map((action) => (
        <button
          key={action.key}
          type="button"
          role={action.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
          aria-checked={action.checked}
          aria-label={action.name}
          tabIndex={-1}
          className={action.danger ? 'menu-item menu-danger' : 'menu-item'}
          onClick={() => {
            onClose();
            action.onSelect();
          }}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
  return createPortal(menu, document.getElementById('main') ?? document.body);
}

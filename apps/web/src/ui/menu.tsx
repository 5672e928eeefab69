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

/** Where a menu opens: under a button (its box), or where the person pressed (right-click, long-press). */
export type MenuAnchor = { rect: DOMRect } | { x: number; y: number };

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

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    const viewWidth = window.visualViewport?.width ?? window.innerWidth;
    const viewHeight = window.visualViewport?.height ?? window.innerHeight;
    const [x, below, above] = 'rect' in anchor ? [anchor.rect.right - width, anchor.rect.bottom, anchor.rect.top] : [anchor.x, anchor.y, anchor.y];
    const top = below + height + EDGE_PX <= viewHeight ? below : Math.max(EDGE_PX, above - height);
    const left = Math.min(Math.max(EDGE_PX, x), viewWidth - width - EDGE_PX);
    setPlace({ left, top });
  }, [anchor]);

  // In the same commit as the items appear: keys pressed right after opening go to the menu, not the button.
  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>(ITEM)?.focus();
  }, []);

  useEffect(() => {
    const outside = (event: Event) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    // Anything that moves the page under the menu leaves it pointing at the wrong place.
    const moved = (event: Event) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    // From the next frame: a scroll that happened just before opening (bringing the message into view) is
    // reported in this one, and must not close the menu it led to.
    const frame = requestAnimationFrame(() => {
      document.addEventListener('scroll', moved, true);
      window.addEventListener('resize', onClose);
    });
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('scroll', moved, true);
      window.removeEventListener('resize', onClose);
    };
  }, [onClose]);

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

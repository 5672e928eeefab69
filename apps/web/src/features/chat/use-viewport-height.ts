import { useEffect } from 'react';

/**
 * The height really left for the page. On phones the on-screen keyboard covers the bottom of the window without
 * always resizing it (iOS), which would hide the composer; the visual viewport is what remains visible. The chat
 * screen sizes itself by `--viewport-height` (100dvh where the browser has no visualViewport).
 */
export function useViewportHeight(): void {
  useEffect(() => {
    const view = window.visualViewport;
    if (!view) return;
    const root = document.documentElement;
    const apply = () => root.style.setProperty('--viewport-height', `${Math.round(view.height)}px`);
    apply();
    view.addEventListener('resize', apply);
    return () => {
      view.removeEventListener('resize', apply);
      root.style.removeProperty('--viewport-height');
    };
  }, []);
}

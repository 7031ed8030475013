// Member pages: countdowns, the live remaining stock and share buttons, without a Blazor circuit per phone.
(() => {
  const timers = [];
  function start() {
    timers.splice(0).forEach(clearInterval);
    document.querySelectorAll('[data-countdown-to]').forEach(el => {
      const target = Date.parse(el.dataset.countdownTo);
      const tick = () => {
        const left = Math.max(0, Math.round((target - Date.now()) / 1000));
        // A countdown that may run for days says so in the page's language ("{0} d"); others count hours.
        const days = el.dataset.countdownDays ? Math.floor(left / 86400) : 0;
        const h = Math.floor((left - days * 86400) / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
        el.textContent = (days > 0 ? el.dataset.countdownDays.replace('{0}', days) + ' ' : '')
          + (h > 0 || days > 0 ? h + ':' : '') + String(m).padStart(2, '0') + ':' + String(s).padStart(2, '0');
        if (left === 0) { location.reload(); }
      };
      tick();
      timers.push(setInterval(tick, 1000));
    });
    document.querySelectorAll('[data-stock-url]').forEach(el => {
      const refresh = async () => {
        const response = await fetch(el.dataset.stockUrl, { headers: { Accept: 'application/json' } });
        if (response.ok) { el.textContent = (await response.json()).remaining; }
      };
      timers.push(setInterval(refresh, 5000));
    });
  }
  // Share buttons: the phone's own share sheet where there is one, else the link is copied.
  document.addEventListener('click', async event => {
    const button = event.target.closest('[data-share-url]');
    if (!button) { return; }
    const url = button.dataset.shareUrl;
    if (navigator.share) {
      try { await navigator.share({ title: button.dataset.shareTitle || document.title, url }); return; }
      catch (error) { if (error.name === 'AbortError') { return; } }
    }
    try {
      await navigator.clipboard.writeText(url);
      const label = button.textContent;
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = label; }, 2000);
    } catch { window.prompt('', url); }
  });
  document.addEventListener('DOMContentLoaded', start);
  if (window.Blazor) { window.Blazor.addEventListener('enhancedload', start); }
})();

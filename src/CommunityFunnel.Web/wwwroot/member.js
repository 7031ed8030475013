// Member pages: a countdown to opening and the live remaining stock, without a Blazor circuit per phone.
(() => {
  const timers = [];
  function start() {
    timers.splice(0).forEach(clearInterval);
    document.querySelectorAll('[data-countdown-to]').forEach(el => {
      const target = Date.parse(el.dataset.countdownTo);
      const tick = () => {
        const left = Math.max(0, Math.round((target - Date.now()) / 1000));
        const h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
        el.textContent = (h > 0 ? h + ':' : '') + String(m).padStart(2, '0') + ':' + String(s).padStart(2, '0');
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
  document.addEventListener('DOMContentLoaded', start);
  if (window.Blazor) { window.Blazor.addEventListener('enhancedload', start); }
})();

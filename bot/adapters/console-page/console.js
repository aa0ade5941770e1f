/* The local console page: polls the console API, renders cards with the official Adaptive Cards
   renderer, and sends text and button presses as the chosen user. Plain browser JavaScript. */
(() => {
  const channel = document.getElementById('channel');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const userInput = document.getElementById('user');
  const threadIndicator = document.getElementById('thread-indicator');
  let replyTo = null;
  let lastSignature = '';

  userInput.value = localStorage.getItem('console-user') || 'alice';
  userInput.addEventListener('change', () => localStorage.setItem('console-user', userInput.value.trim()));

  const hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: 'Segoe UI, system-ui, sans-serif',
    actions: {
      maxActions: 6,
      actionsOrientation: 'horizontal',
      buttonSpacing: 8,
      showCard: { actionMode: 'inline' },
    },
    containerStyles: {
      default: { backgroundColor: '#FFFFFF' },
      emphasis: { backgroundColor: '#F0F0F0' },
      accent: { backgroundColor: '#DCE3FA' },
      good: { backgroundColor: '#DFF6DD' },
      attention: { backgroundColor: '#FDE7E9' },
      warning: { backgroundColor: '#FFF4CE' },
    },
  });

  // Card text is escaped markdown (a backslash before punctuation): show it as plain text, as
  // Teams does. The HTML is built from text nodes only, so no sender text can become markup.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const box = document.createElement('div');
    text.split('\n').forEach((line, i) => {
      if (i > 0) box.append(document.createElement('br'));
      box.append(document.createTextNode(line.replace(/\\([!-/:-@[-`{-~])/g, '$1')));
    });
    result.outputHtml = box.innerHTML;
    result.didProcess = true;
  };

  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      throw new Error(err.error?.message || `HTTP ${res.status}`);
    }
    return res.json();
  }

  function user() {
    return userInput.value.trim() || 'alice';
  }

  function renderCard(message) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      let verb;
      let data;
      if (action instanceof AdaptiveCards.ExecuteAction) {
        verb = action.verb;
        data = action.data || {};
      } else if (action instanceof AdaptiveCards.SubmitAction) {
        ({ verb, ...data } = action.data || {});
      } else if (action instanceof AdaptiveCards.OpenUrlAction) {
        window.open(action.url, '_blank', 'noopener');
        return;
      } else {
        return;
      }
      post('/api/console/actions', { user: user(), messageId: message.id, verb, data })
        .then(refresh)
        .catch((e) => alert(e.message));
    };
    card.parse(message.card);
    const el = card.render();
    el.classList.add('card');
    el.dataset.messageId = message.id;
    return el;
  }

  function renderMessage(m) {
    const box = document.createElement('article');
    box.className = 'message';
    box.id = `m-${m.id}`;
    box.dataset.author = m.author;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = m.author === 'bot' ? 'On-call bot' : m.author.replace(/^console:/, '');
    const time = document.createElement('span');
    time.textContent = new Date(m.createdAt).toLocaleTimeString();
    meta.append(author, time);
    if (m.updatedAt !== m.createdAt) {
      const edited = document.createElement('span');
      edited.className = 'edited';
      edited.textContent = `updated ${new Date(m.updatedAt).toLocaleTimeString()}`;
      meta.append(edited);
    }
    box.append(meta);
    if (m.card) box.append(renderCard(m));
    else {
      const text = document.createElement('div');
      text.className = 'user-text';
      text.textContent = m.text;
      box.append(text);
    }
    return box;
  }

  function render(messages) {
    const atBottom = channel.scrollHeight - channel.scrollTop - channel.clientHeight < 40;
    const roots = messages.filter((m) => !m.threadId);
    const replies = new Map();
    for (const m of messages)
      if (m.threadId) replies.set(m.threadId, [...(replies.get(m.threadId) || []), m]);
    channel.replaceChildren(
      ...roots.map((root) => {
        const el = renderMessage(root);
        const thread = replies.get(root.id) || [];
        if (thread.length) {
          const t = document.createElement('div');
          t.className = 'thread';
          t.append(...thread.map(renderMessage));
          el.append(t);
        }
        const reply = document.createElement('button');
        reply.className = 'reply-link';
        reply.textContent = 'Reply in thread';
        reply.onclick = () => setThread(root.id, root.text);
        el.append(reply);
        return el;
      }),
    );
    if (atBottom) channel.scrollTop = channel.scrollHeight;
  }

  function setThread(id, title) {
    replyTo = id;
    threadIndicator.hidden = !id;
    threadIndicator.textContent = id ? `Replying to: ${title.slice(0, 40)} ✕` : '';
    input.focus();
  }
  threadIndicator.onclick = () => setThread(null, '');

  async function refresh() {
    try {
      const res = await fetch('/api/console/messages');
      const messages = await res.json();
      const signature = messages.map((m) => `${m.id}:${m.updatedAt}`).join('|');
      if (signature !== lastSignature) {
        lastSignature = signature;
        render(messages);
      }
    } catch (e) {
      console.warn('refresh failed', e);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    try {
      await post('/api/console/messages', { user: user(), text, ...(replyTo ? { threadId: replyTo } : {}) });
    } catch (err) {
      alert(err.message);
    }
    refresh();
  });

  refresh();
  setInterval(refresh, 1000);
})();

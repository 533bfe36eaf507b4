// Files on the chat screen (docs/web-app.md, "Files and images"). Attaching: the composer's paperclip
// (a file picker), files dropped on the room, an image pasted into the message box. Each file is
// uploaded at once (POST /session/files, the raw bytes, with XHR for its progress) and shows as a
// chip above the composer: name, size, progress, ✕ to cancel or remove, chatfront's refusal in
// words. chat.js asks take() for the uploaded ones when the message is sent, and attachments() for
// the files of a message in the timeline: images as thumbnails that open full size in a viewer,
// other files as a card with a download link.
// Names come from people: they reach the page through textContent and encoded URLs only.
(function () {
  'use strict';

  const chat = document.getElementById('chat');
  const composer = document.getElementById('composer');
  if (!chat || !composer) {
    return;
  }
  /** At most this many files on one message (the send frame's limit, FILES CONTRACT). */
  const MAX_FILES = 10;
  /** The box a thumbnail is fitted into in the timeline, in CSS pixels (never enlarged). */
  const THUMB_BOX = { width: 360, height: 240 };
  /** Served inline by chatfront, so they show as pictures; any other file is a download. */
  const PICTURES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

  const uploads = document.getElementById('uploads');
  const attachButton = document.getElementById('attach');
  const fileInput = document.getElementById('file-input');
  const sendButton = document.getElementById('send');
  const messageField = document.getElementById('message-text');
  const dropZone = document.querySelector('.room-main');
  const viewer = document.getElementById('file-viewer');
  const viewerImage = document.getElementById('file-viewer-image');
  const viewerName = document.getElementById('file-viewer-name');
  const viewerDownload = document.getElementById('file-viewer-download');

  /** Files attached to the next message, in the order they were added: {chip, xhr, file, room}. */
  const pending = [];

  // ---- words and addresses

  /** 1234567 -> "1.2 MB": bytes in the units people read (1 KB = 1024 bytes, as file managers). */
  function humanSize(bytes) {
    const size = Number(bytes) || 0;
    if (size < 1024) {
      return size + ' B';
    }
    const units = ['KB', 'MB', 'GB'];
    let value = size / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (value < 10 ? value.toFixed(1) : Math.round(value)) + ' ' + units[unit];
  }

  /** What a file is, in a word, and the icon beside it. */
  function kindOf(type, name) {
    const media = String(type || '').toLowerCase();
    const extension = /\.([A-Za-z0-9]{1,8})$/.exec(name || '');
    if (media === 'application/pdf') {
      return { word: 'PDF', icon: '📕' };
    }
    if (media.startsWith('image/')) {
      return { word: 'Image', icon: '🖼️' };
    }
    if (/zip|gzip|x-tar|compressed/.test(media)) {
      return { word: 'Archive', icon: '🗜️' };
    }
    if (/spreadsheet|excel|text\/csv/.test(media)) {
      return { word: media === 'text/csv' ? 'CSV' : 'Spreadsheet', icon: '📊' };
    }
    if (/presentation|powerpoint/.test(media)) {
      return { word: 'Presentation', icon: '📽️' };
    }
    if (/wordprocessing|msword|opendocument\.text/.test(media)) {
      return { word: 'Document', icon: '📝' };
    }
    if (media === 'application/json') {
      return { word: 'JSON', icon: '📄' };
    }
    if (media.startsWith('text/')) {
      return { word: 'Text', icon: '📄' };
    }
    return { word: extension ? extension[1].toUpperCase() : 'File', icon: '📎' };
  }

  function fileUrl(file) {
    return 'files/' + encodeURIComponent(file.id) + '/' + encodeURIComponent(file.name);
  }

  function thumbUrl(file) {
    return 'files/thumbnails/' + encodeURIComponent(file.id);
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  // ---- the timeline: a message's files

  /** The size a picture of width x height is shown at: fitted into THUMB_BOX, never enlarged. */
  function fitted(width, height) {
    const scale = Math.min(1, THUMB_BOX.width / width, THUMB_BOX.height / height);
    return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  }

  function picture(file) {
    const link = element('a', 'file-image');
    link.href = fileUrl(file);
    link.dataset.fileId = file.id;
    link.title = file.name + ' (' + humanSize(file.size) + ')';
    const image = document.createElement('img');
    const size = fitted(file.width, file.height);
    // The box is reserved before the picture arrives: the timeline does not jump.
    image.width = size.width;
    image.height = size.height;
    image.loading = 'lazy';
    image.decoding = 'async';
    image.alt = file.name;
    image.src = thumbUrl(file);
    link.append(image);
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return; // a new tab or window, the browser's way
      }
      event.preventDefault();
      openViewer(file, link);
    });
    return link;
  }

  function card(file) {
    const kind = kindOf(file.type, file.name);
    const box = element('div', 'file-card');
    box.append(element('span', 'file-icon', kind.icon));
    box.firstChild.setAttribute('aria-hidden', 'true');
    const text = element('div', 'file-text');
    const link = element('a', 'file-name', file.name);
    link.href = fileUrl(file);
    link.download = file.name;
    text.append(link, element('span', 'file-meta', kind.word + ' · ' + humanSize(file.size)));
    const download = element('a', 'file-download', '⬇');
    download.href = fileUrl(file);
    download.download = file.name;
    download.setAttribute('aria-label', 'Download ' + file.name);
    download.title = 'Download';
    box.append(text, download);
    return box;
  }

  /** The files of a message ({id, name, size, type, width, height} each), for chat.js. */
  function attachments(files) {
    const list = element('ul', 'attachments');
    list.setAttribute('aria-label', files.length === 1 ? 'Attached file' : files.length + ' attached files');
    for (const file of files) {
      const item = element('li');
      const shown = PICTURES.has(file.type) && Number(file.width) > 0 && Number(file.height) > 0;
      item.append(shown ? picture(file) : card(file));
      list.append(item);
    }
    return list;
  }

  // ---- the viewer: one picture full size over the page

  let viewerOpener = null;

  function openViewer(file, opener) {
    viewerOpener = opener;
    viewerImage.alt = file.name;
    viewerImage.width = Number(file.width);
    viewerImage.height = Number(file.height);
    viewerImage.src = fileUrl(file);
    viewerName.textContent = file.name + ' · ' + humanSize(file.size);
    viewerDownload.href = fileUrl(file);
    viewerDownload.download = file.name;
    viewer.showModal();
  }

  if (viewer) {
    viewer.addEventListener('close', () => {
      viewerImage.removeAttribute('src');
      if (viewerOpener && viewerOpener.isConnected) {
        viewerOpener.focus();
      }
      viewerOpener = null;
    });
    viewer.querySelector('.dialog-close').addEventListener('click', () => viewer.close());
    // A click on the dimmed page around the picture closes it, as in the other dialogs.
    viewer.addEventListener('click', (event) => {
      if (event.target === viewer) {
        viewer.close();
      }
    });
  }

  // ---- attaching: chips above the composer, one upload each

  function readyOnes() {
    return pending.filter((entry) => entry.file !== null);
  }

  /** The send button waits for the uploads; a refused file does not hold it (its chip says why). */
  function showState() {
    uploads.hidden = pending.length === 0;
    const busy = pending.some((entry) => entry.xhr !== null);
    sendButton.disabled = busy;
    sendButton.title = busy ? 'Waiting for the files to upload' : '';
  }

  function drop(entry) {
    const index = pending.indexOf(entry);
    if (index >= 0) {
      pending.splice(index, 1);
    }
    if (entry.xhr) {
      const xhr = entry.xhr;
      entry.xhr = null;
      xhr.abort();
    }
    entry.chip.remove();
    showState();
  }

  /** The chip's line under the name: progress, done, or the refusal in words. */
  function say(entry, text, refused) {
    entry.status.textContent = text;
    entry.chip.dataset.state = refused ? 'refused' : entry.file ? 'ready' : 'uploading';
    entry.status.setAttribute('role', refused ? 'alert' : 'status');
    entry.progress.hidden = refused || entry.file !== null;
    entry.remove.setAttribute('aria-label', (entry.xhr ? 'Cancel the upload of ' : 'Remove ') + entry.name);
    entry.remove.title = entry.xhr ? 'Cancel upload' : 'Remove';
  }

  /** Sentences for answers that carry none (nginx's own 413, a lost connection). */
  function refusalWords(status) {
    if (status === 413) {
      return 'This file is larger than the server accepts.';
    }
    if (status === 401) {
      return 'You are signed out: sign in again, then attach the file again.';
    }
    if (status === 0) {
      return 'The upload stopped: check the connection and attach the file again.';
    }
    return 'The file could not be uploaded (error ' + status + '). Try again.';
  }

  function upload(blob, name) {
    const room = Number(chat.dataset.room);
    const chip = element('li', 'upload');
    const kind = kindOf(blob.type, name);
    const icon = element('span', 'file-icon', kind.icon);
    icon.setAttribute('aria-hidden', 'true');
    const text = element('div', 'upload-text');
    const title = element('span', 'upload-name', name);
    title.title = name;
    const meta = element('span', 'upload-size', humanSize(blob.size));
    const progress = element('progress', 'upload-progress');
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute('aria-label', 'Upload of ' + name);
    const status = element('span', 'upload-status');
    text.append(title, meta, progress, status);
    const remove = element('button', 'icon upload-remove', '✕');
    remove.type = 'button';
    chip.append(icon, text, remove);
    uploads.append(chip);

    const entry = { chip: chip, status: status, progress: progress, remove: remove, name: name, room: room, xhr: null, file: null };
    remove.addEventListener('click', () => {
      drop(entry);
      messageField.focus();
    });
    pending.push(entry);
    if (pending.length > MAX_FILES) {
      say(entry, 'A message holds at most ' + MAX_FILES + ' files: send these first.', true);
      showState();
      return;
    }

    const xhr = new XMLHttpRequest();
    entry.xhr = xhr;
    xhr.open('POST', 'session/files?room=' + room + '&name=' + encodeURIComponent(name));
    xhr.setRequestHeader('X-Chat-Request', '1');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && entry.xhr === xhr) {
        const percent = Math.floor((event.loaded / event.total) * 100);
        progress.value = percent;
        status.textContent = 'Uploading… ' + percent + '%';
      }
    });
    xhr.addEventListener('loadend', () => {
      if (entry.xhr !== xhr) {
        return; // cancelled
      }
      entry.xhr = null;
      const answer = xhr.response;
      if (xhr.status === 201 && answer && answer.id) {
        entry.file = answer;
        title.textContent = answer.name;
        meta.textContent = humanSize(answer.size);
        say(entry, 'Ready to send', false);
      } else {
        const sentence = answer && typeof answer.message === 'string' ? answer.message : refusalWords(xhr.status);
        say(entry, sentence, true);
      }
      showState();
    });
    say(entry, 'Uploading… 0%', false);
    showState();
    xhr.send(blob);
  }

  function attachAll(files) {
    for (const file of files) {
      upload(file, file.name || pastedName(file));
    }
  }

  /** A pasted screenshot has no name of its own (or "image.png"): it gets the time it was pasted. */
  function pastedName(file) {
    const now = new Date();
    const two = (n) => String(n).padStart(2, '0');
    const extension = (file.type.split('/')[1] || 'png').replace('jpeg', 'jpg');
    return 'Screenshot ' + now.getFullYear() + '-' + two(now.getMonth() + 1) + '-' + two(now.getDate()) + ' '
      + two(now.getHours()) + '.' + two(now.getMinutes()) + '.' + two(now.getSeconds()) + '.' + extension;
  }

  /**
   * The uploaded files for the message being sent, for chat.js; they leave the composer. Refused
   * chips stay (they say why) until removed.
   */
  function take() {
    const ready = readyOnes();
    for (const entry of ready) {
      pending.splice(pending.indexOf(entry), 1);
      entry.chip.remove();
    }
    showState();
    return ready.map((entry) => entry.file);
  }

  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    attachAll(Array.from(fileInput.files));
    fileInput.value = '';
    messageField.focus();
  });
  messageField.addEventListener('paste', (event) => {
    const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
    if (files.length > 0) {
      event.preventDefault(); // the picture, not its file name as text
      for (const file of files) {
        upload(file, file.name && file.name !== 'image.png' ? file.name : pastedName(file));
      }
    }
  });

  // Dropped files: the room shows where they go while they are dragged over it.
  let dragDepth = 0;
  function carriesFiles(event) {
    return event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
  }
  dropZone.addEventListener('dragenter', (event) => {
    if (carriesFiles(event)) {
      dragDepth++;
      dropZone.classList.add('dropping');
    }
  });
  dropZone.addEventListener('dragleave', (event) => {
    if (carriesFiles(event) && --dragDepth <= 0) {
      dragDepth = 0;
      dropZone.classList.remove('dropping');
    }
  });
  dropZone.addEventListener('dragover', (event) => {
    if (carriesFiles(event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  });
  dropZone.addEventListener('drop', (event) => {
    dragDepth = 0;
    dropZone.classList.remove('dropping');
    if (carriesFiles(event)) {
      event.preventDefault();
      attachAll(Array.from(event.dataTransfer.files));
      messageField.focus();
    }
  });

  // A file is uploaded for one room: opening another room in place cancels and drops the chips.
  new MutationObserver(() => {
    const room = Number(chat.dataset.room);
    for (const entry of pending.slice()) {
      if (entry.room !== room) {
        drop(entry);
      }
    }
  }).observe(chat, { attributes: true, attributeFilter: ['data-room'] });

  window.teamchatFiles = {
    attachments: attachments,
    take: take,
    /** True while a file is still uploading: the message waits for it. */
    uploading: () => pending.some((entry) => entry.xhr !== null),
    /** How many uploaded files the next message carries. */
    ready: () => readyOnes().length,
  };
})();

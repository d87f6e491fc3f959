/* 디지털포용부 누리집 공통 스크립트 (ddkit sample site) */
(function () {
  'use strict';

  // Main visual: one slide every 5 seconds. A pause button is wired up only where the page has one.
  function carousel(root) {
    var track = root.querySelector('.mv-track');
    var slides = root.querySelectorAll('.mv-track > .slide');
    var pause = root.querySelector('.mv-pause');
    var usesHidden = root.hasAttribute('data-hide-inactive');
    var count = usesHidden ? slides.length : root.querySelectorAll('.mv-track > .slide:not(.clone)').length;
    var index = 0;
    var timer = null;
    function show(i) {
      index = (i + count) % count;
      if (usesHidden) {
        for (var k = 0; k < slides.length; k++) { slides[k].hidden = (k !== index); }
      } else {
        track.style.transform = 'translateX(' + (-100 * index) + '%)';
      }
      var status = root.querySelector('.mv-status');
      if (status) { status.textContent = (index + 1) + ' / ' + count; }
    }
    function start() { timer = window.setInterval(function () { show(index + 1); }, 5000); }
    function stop() { window.clearInterval(timer); timer = null; }
    var prev = root.querySelector('.mv-prev');
    var next = root.querySelector('.mv-next');
    if (prev) { prev.addEventListener('click', function () { show(index - 1); }); }
    if (next) { next.addEventListener('click', function () { show(index + 1); }); }
    if (pause) {
      pause.addEventListener('click', function () {
        if (timer) { stop(); pause.textContent = '자동 넘김 시작'; }
        else { start(); pause.textContent = '자동 넘김 정지'; }
      });
    }
    show(0);
    start();
  }

  // Related-site banner strip: scrolls every 3 seconds, with a stop/start button.
  function bannerZone(root) {
    var list = root.querySelector('.bz-list');
    var toggle = root.querySelector('.bz-toggle');
    var step = 0;
    var timer = null;
    function tick() { step = (step + 1) % 3; list.style.transform = 'translateX(' + (-120 * step) + 'px)'; }
    function start() { timer = window.setInterval(tick, 3000); }
    start();
    if (toggle) {
      toggle.addEventListener('click', function () {
        if (timer) { window.clearInterval(timer); timer = null; toggle.textContent = '배너 움직임 시작'; }
        else { start(); toggle.textContent = '배너 움직임 정지'; }
      });
    }
  }

  // FAQ accordion: the button toggles its answer.
  function faq(button) {
    button.addEventListener('click', function () {
      var answer = document.getElementById(button.getAttribute('aria-controls'));
      var open = answer.hidden;
      answer.hidden = !open;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var mv = document.getElementById('main-visual');
    if (mv) { carousel(mv); }
    var bz = document.querySelector('.banner-zone');
    if (bz) { bannerZone(bz); }
    var questions = document.querySelectorAll('.faq-q');
    for (var i = 0; i < questions.length; i++) { faq(questions[i]); }
    var close = document.querySelector('.popup-close');
    if (close) { close.addEventListener('click', function () { window.close(); }); }
  });
}());

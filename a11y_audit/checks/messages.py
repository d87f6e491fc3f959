"""The Korean and English text of every finding.

ddkit's own checks return a message *code* and parameters; the sentences live here, one pair per code.
axe-core ships no Korean locale in the wheel ddkit uses, so an axe finding gets a Korean sentence built
from the KWCAG item name (from the registry) around axe's own English help text: the item name and the
outcome are Korean, axe's help stays English.
"""

from __future__ import annotations

from typing import Any

from a11y_audit.rules.registry import KwcagItem

#: code -> (English, Korean); ``{name}`` placeholders are filled from the finding's parameters.
MESSAGES: dict[str, tuple[str, str]] = {
    # 1.1.1
    "alt-ok": (
        "Text alternative {alt!r} is not a known meaningless value.",
        "대체 텍스트 {alt!r}는 의미 없는 값이 아닙니다.",
    ),
    "alt-generic": (
        "Text alternative {alt!r} is a generic word that does not say what the image shows.",
        "대체 텍스트 {alt!r}는 이미지의 내용을 알려주지 않는 일반 단어입니다.",
    ),
    "alt-filename": (
        "Text alternative {alt!r} is a file name, not a description.",
        "대체 텍스트 {alt!r}는 설명이 아니라 파일 이름입니다.",
    ),
    "alt-punctuation": (
        "Text alternative {alt!r} has no words, only symbols.",
        "대체 텍스트 {alt!r}에 글자가 없고 기호만 있습니다.",
    ),
    "alt-generic-word": (
        "Text alternative {alt!r} contains 'image', 'photo' or 'icon': check that it describes the content.",
        "대체 텍스트 {alt!r}에 '이미지·사진·아이콘' 같은 말이 들어 있습니다. 내용을 설명하는지 확인하세요.",
    ),
    # 1.2.1
    "media-track": (
        "Video has a {kind} track: check that the captions are complete and in sync.",
        "동영상에 {kind} 트랙이 있습니다. 자막이 완전하고 동기화되었는지 확인하세요.",
    ),
    "media-video-no-track": (
        "Video has no captions track: check for open captions, a transcript or sign language.",
        "동영상에 자막 트랙이 없습니다. 화면 자막, 대본(원고) 또는 수어가 있는지 확인하세요.",
    ),
    "media-audio": (
        "Audio: check that a transcript (script) is provided.",
        "오디오입니다. 대본(원고)이 제공되는지 확인하세요.",
    ),
    "media-embed": (
        "Embedded media player ({src}): check for captions, a transcript or sign language.",
        "삽입된 미디어 플레이어({src})입니다. 자막, 대본 또는 수어가 있는지 확인하세요.",
    ),
    "media-none": ("No multimedia on the page.", "페이지에 멀티미디어가 없습니다."),
    # 1.3.1
    "table-ok": (
        "Data table has a caption and header cells with scope.",
        "데이터 표에 제목(caption)과 scope가 있는 제목 셀(th)이 있습니다.",
    ),
    "table-caption": (
        "Data table has header cells but no caption (or summary / aria-label) naming the table.",
        "데이터 표에 제목 셀은 있지만 표 제목(caption, summary 또는 aria-label)이 없습니다.",
    ),
    "table-scope": (
        "{th_without_scope} header cell(s) have no scope: check that rows and columns are associated.",
        "제목 셀 {th_without_scope}개에 scope가 없습니다. 행·열 제목이 연결되는지 확인하세요.",
    ),
    "table-caption-scope": (
        "Data table has no caption, and {th_without_scope} header cell(s) have no scope.",
        "데이터 표에 제목(caption)이 없고 제목 셀 {th_without_scope}개에 scope가 없습니다.",
    ),
    "table-no-th": (
        "Table is marked as a data table (caption, summary or role) but has no header cells (th).",
        "데이터 표로 표시되었지만(caption, summary 또는 role) 제목 셀(th)이 없습니다.",
    ),
    "table-maybe-data": (
        "Table of {rows} rows and {cols} columns has no header cells: if it holds data, add th and a caption; "
        "if it is for layout, mark it role=presentation.",
        "{rows}행 {cols}열 표에 제목 셀이 없습니다. 데이터 표라면 th와 caption을, 배치용이라면 role=presentation을 지정하세요.",
    ),
    "table-layout-with-data-markup": (
        "Layout table (role=presentation) carries data-table markup: {markup}.",
        "배치용 표(role=presentation)에 데이터 표 요소가 있습니다: {markup}.",
    ),
    # 1.4.2
    "autoplay-none": ("No audio or video on the page.", "페이지에 오디오나 동영상이 없습니다."),
    "autoplay-silent": (
        "Media is paused or muted 3 s after load.",
        "로드 3초 뒤 미디어가 정지 또는 음소거 상태입니다.",
    ),
    "autoplay-sound": (
        "Sound still plays {seconds} s after load and there is no control to stop it.",
        "로드 {seconds}초 뒤에도 소리가 재생되며 정지할 수단이 없습니다.",
    ),
    "autoplay-sound-control": (
        "Sound still plays {seconds} s after load; a stop/pause control exists: check it can be reached at once.",
        "로드 {seconds}초 뒤에도 소리가 재생됩니다. 정지 수단이 있으니 바로 사용할 수 있는지 확인하세요.",
    ),
    "autoplay-embed": (
        "Embedded player is asked to autoplay without mute ({src}).",
        "삽입된 플레이어가 음소거 없이 자동 재생하도록 설정되었습니다({src}).",
    ),
    "autoplay-bgsound": (
        "The page uses <bgsound> background sound.",
        "페이지에 배경음(<bgsound>)이 있습니다.",
    ),
    # 2.1.3
    "control-small": (
        "Control is {width}×{height} CSS px (diagonal {diagonal} px), smaller than the {min} px diagonal of a 6 mm target.",
        "컨트롤 크기가 {width}×{height} CSS px(대각선 {diagonal} px)로 6 mm(대각선 {min} px)보다 작습니다.",
    ),
    "control-ok": (
        "{ok} of {checked} controls are at least {min} px on the diagonal.",
        "컨트롤 {checked}개 중 {ok}개의 대각선이 {min} px 이상입니다.",
    ),
    "control-none": ("No visible controls to measure.", "측정할 컨트롤이 없습니다."),
    # 2.1.4
    "shortcut-none": ("No key handlers on the page itself.", "페이지 전체에 키 입력 처리기가 없습니다."),
    "shortcut-quiet": (
        "Key handlers on {where}; single keys {keys} changed nothing.",
        "{where}에 키 입력 처리기가 있으나 한 글자 키 {keys}를 눌러도 변화가 없었습니다.",
    ),
    "shortcut-reacts": (
        "Pressing the single key {key!r} changed the page ({change}): check it can be turned off or remapped.",
        "한 글자 키 {key!r}를 누르자 페이지가 바뀌었습니다({change}). 끄거나 바꿀 수 있는지 확인하세요.",
    ),
    # 2.2.2
    "moving-none": ("No carousel or endless animation found.", "자동으로 움직이는 콘텐츠가 없습니다."),
    "moving-stop": (
        "Moving content has a stop/pause control nearby: check it also offers previous/next.",
        "움직이는 콘텐츠 근처에 정지 버튼이 있습니다. 이전·다음 이동도 가능한지 확인하세요.",
    ),
    "moving-no-stop": (
        "Carousel or endless animation with no stop/pause control found nearby.",
        "움직이는 콘텐츠(슬라이드 또는 반복 애니메이션)에 정지 버튼이 보이지 않습니다.",
    ),
    # 2.4.1
    "skip-ok": (
        "Skip link {name!r} is the first focusable element, is visible on focus, and moves focus to the content.",
        "건너뛰기 링크 {name!r}가 첫 번째 초점 요소이며, 초점 시 보이고, 본문으로 초점을 옮깁니다.",
    ),
    "skip-missing": (
        "No skip link to the main content (e.g. '본문 바로가기'); the first focusable element is {first!r}.",
        "본문 바로가기 링크가 없습니다. 첫 번째 초점 요소는 {first!r}입니다.",
    ),
    "skip-not-first": (
        "Skip link {name!r} exists but is not the first focusable element (first: {first!r}).",
        "건너뛰기 링크 {name!r}가 있으나 첫 번째 초점 요소가 아닙니다(첫 요소: {first!r}).",
    ),
    "skip-invisible": (
        "Skip link {name!r} stays invisible when it has keyboard focus.",
        "건너뛰기 링크 {name!r}가 키보드 초점을 받아도 화면에 보이지 않습니다.",
    ),
    "skip-no-target": (
        "Skip link {name!r} points to #{target}, which does not exist.",
        "건너뛰기 링크 {name!r}의 대상 #{target}이 없습니다.",
    ),
    "skip-focus-stays": (
        "After activating skip link {name!r}, keyboard focus does not move to #{target} (next focus: {next!r}).",
        "건너뛰기 링크 {name!r}를 실행해도 초점이 #{target}으로 이동하지 않습니다(다음 초점: {next!r}).",
    ),
    "skip-no-focusable": ("The page has no focusable elements.", "페이지에 초점을 받는 요소가 없습니다."),
    # 2.4.2
    "title-ok": (
        "Page title {title!r} is present and free of repeated special characters.",
        "페이지 제목 {title!r}이 있으며 특수문자 반복이 없습니다.",
    ),
    "title-empty": ("The page has no title.", "페이지 제목이 없습니다."),
    "title-no-words": ("Page title {title!r} has no words.", "페이지 제목 {title!r}에 글자가 없습니다."),
    "title-repeated-special": (
        "Page title {title!r} repeats special characters ({chars!r}).",
        "페이지 제목 {title!r}에 특수문자가 반복됩니다({chars!r}).",
    ),
    "title-unique": (
        "Page title {title!r} differs from the other {others} audited pages.",
        "페이지 제목 {title!r}이 다른 페이지 {others}개와 구별됩니다.",
    ),
    "title-duplicate": (
        "Page title {title!r} is the same on {count} audited pages: each page needs its own title.",
        "페이지 제목 {title!r}이 검사한 페이지 {count}개에서 같습니다. 페이지마다 구별되는 제목이 필요합니다.",
    ),
    # 2.5.2
    "pointer-none": ("No control acts on pointer down only.", "누르는 순간에만 동작하는 컨트롤이 없습니다."),
    "pointer-down-only": (
        "Element listens to {events} but not to the up event or click: check that the action can be cancelled.",
        "{events} 이벤트만 처리하고 떼기(up)·클릭은 처리하지 않습니다. 동작을 취소할 수 있는지 확인하세요.",
    ),
    # 3.1.1
    "lang-ok": (
        "Declared language {lang!r} matches the page text.",
        "선언된 언어 {lang!r}가 본문 언어와 일치합니다.",
    ),
    "lang-mismatch": (
        "Declared language {lang!r} does not match the page text, which is mostly {detected} script ({shares}).",
        "선언된 언어 {lang!r}가 본문 언어와 다릅니다. 본문은 주로 {detected} 문자입니다({shares}).",
    ),
    "lang-mismatch-words": (
        "Declared language {lang!r}, but the words of the page are mostly {detected} (frequent words: {shares}).",
        "선언된 언어는 {lang!r}이지만 본문 단어는 주로 {detected}입니다(빈출 단어 수: {shares}).",
    ),
    "lang-mixed": (
        "Declared language {lang!r}: the page text mixes scripts ({shares}); check the main language.",
        "선언된 언어 {lang!r}: 본문에 여러 문자가 섞여 있습니다({shares}). 주 언어를 확인하세요.",
    ),
    "lang-none": (
        "No lang attribute to compare (axe reports the missing lang).",
        "비교할 lang 속성이 없습니다(axe가 누락을 보고합니다).",
    ),
    "lang-unknown": (
        "Language {lang!r} is not one ddkit can compare with the text.",
        "언어 {lang!r}는 본문과 비교할 수 없는 언어입니다.",
    ),
    "lang-little-text": (
        "Too little text ({letters}) to tell the language.",
        "언어를 판단하기에 본문이 너무 짧습니다({letters}).",
    ),
    # 3.2.1
    "new-window-notice": (
        "Link {name!r} opens a new window and says so.",
        "링크 {name!r}는 새 창으로 열리며 이를 알려줍니다.",
    ),
    "new-window-no-notice": (
        "{name!r} opens a new window ({how}) without saying so (e.g. '새 창' in its text, title or name).",
        "{name!r}가 새 창으로 열리지만({how}) 텍스트, title 또는 이름에 '새 창' 안내가 없습니다.",
    ),
    "popup-none": (
        "No window or dialog opened without a user action.",
        "사용자 요청 없이 열린 창이나 대화상자가 없습니다.",
    ),
    "popup-window": (
        "A new window opened while the page loaded, without a user action ({url}).",
        "사용자 요청 없이 페이지 로드 중 새 창이 열렸습니다({url}).",
    ),
    "popup-dialog": (
        "A {kind} dialog opened while the page loaded, without a user action: {text!r}.",
        "사용자 요청 없이 페이지 로드 중 {kind} 대화상자가 열렸습니다: {text!r}.",
    ),
    # 2.4.3
    "link-generic": (
        "Link text {name!r} does not say where the link goes; check that its context (or hidden text) does.",
        "링크 텍스트 {name!r}만으로는 목적을 알 수 없습니다. 맥락이나 숨긴 텍스트로 구별되는지 확인하세요.",
    ),
    "link-ok": (
        "None of the {links} links has a generic text such as 'more' or 'click here'.",
        "링크 {links}개 중 '더보기', '여기' 같은 막연한 텍스트는 없습니다.",
    ),
    "link-none": ("No links on the page.", "페이지에 링크가 없습니다."),
    # 2.1.1
    "click-not-focusable": (
        "<{tag}> {name!r} reacts to clicks but cannot get keyboard focus (no tabindex, not a link or button).",
        "<{tag}> {name!r}는 클릭에 반응하지만 키보드 초점을 받을 수 없습니다(tabindex 없음, 링크·버튼 아님).",
    ),
    "click-ok": (
        "All {count} elements that react to clicks can get keyboard focus.",
        "클릭에 반응하는 요소 {count}개 모두 키보드 초점을 받을 수 있습니다.",
    ),
    "click-none": ("No element with its own click handler.", "클릭 처리기가 있는 요소가 없습니다."),
    # 2.1.2
    "trap": (
        "Keyboard focus stays on {name!r}: pressing Tab twice more did not move it, though focusable elements follow.",
        "키보드 초점이 {name!r}에서 벗어나지 않습니다. 뒤에 초점 요소가 있는데도 Tab을 두 번 더 눌러도 그대로입니다.",
    ),
    "trap-none": (
        "Tab moved through the first {stops} focus stops without getting stuck.",
        "Tab 키로 처음 {stops}개 초점 위치를 막힘 없이 이동했습니다.",
    ),
    "focus-invisible": (
        "{name!r} looks the same with and without keyboard focus (no outline, shadow, border, colour or background change).",
        "{name!r}는 키보드 초점을 받아도 모양이 같습니다(윤곽선, 그림자, 테두리, 색, 배경 변화 없음).",
    ),
    "focus-removed": (
        "{name!r} does not keep focus: a script removes it.",
        "{name!r}는 초점을 유지하지 못합니다. 스크립트가 초점을 없앱니다.",
    ),
    "focus-visible-ok": (
        "All {count} focus stops checked change their look when focused.",
        "확인한 초점 위치 {count}개 모두 초점을 받으면 모양이 바뀝니다.",
    ),
    # 3.2.1 select
    "select-onchange": (
        "Selecting an option in {name!r} runs a script at once and there is no button to confirm: check that it does not move to another page or window.",
        "{name!r} 선택 상자는 값을 고르는 즉시 스크립트가 실행되며 확인 버튼이 없습니다. 다른 페이지나 창으로 이동하지 않는지 확인하세요.",
    ),
    "select-with-button": (
        "The select has a button ({name!r}) to confirm the choice.",
        "선택 상자에 선택을 확정하는 버튼({name!r})이 있습니다.",
    ),
    "select-none": ("No select box that reacts to a change.", "값 변경에 반응하는 선택 상자가 없습니다."),
    "media-link": (
        "Link to a media file ({src}): check for captions or a transcript.",
        "미디어 파일 링크({src})입니다. 자막이나 대본이 있는지 확인하세요.",
    ),
    # 4.1.1
    "markup-ok": (
        "No unclosed or misnested elements, duplicate attributes or duplicate ids in the HTML source.",
        "HTML 소스에 닫히지 않거나 잘못 중첩된 요소, 중복 속성, 중복 id가 없습니다.",
    ),
    "markup-unclosed": ("<{tag}> is not closed ({code}).", "<{tag}> 요소가 닫히지 않았습니다({code})."),
    "markup-misnested": (
        "<{tag}> is misnested or has a stray end tag ({code}).",
        "<{tag}> 요소가 잘못 중첩되었거나 짝 없는 종료 태그가 있습니다({code}).",
    ),
    "markup-closed-early": (
        "</{tag}> closes its element while elements inside it are still open ({code}).",
        "</{tag}> 종료 태그가 안쪽 요소를 닫기 전에 나왔습니다({code}).",
    ),
    "markup-self-closed": (
        "<{tag}/> does not close a <{tag}> in HTML: the element stays open.",
        "HTML에서 <{tag}/>는 요소를 닫지 않으므로 요소가 열린 채로 남습니다.",
    ),
    "markup-unclosed-attribute": (
        "An attribute value is never closed: the rest of the document is swallowed ({code}).",
        "속성 값의 따옴표가 닫히지 않아 이후 문서가 속성 값이 됩니다({code}).",
    ),
    "markup-duplicate-attribute": (
        "<{tag}> declares the attribute {attributes} more than once.",
        "<{tag}> 요소에 {attributes} 속성이 두 번 이상 선언되었습니다.",
    ),
    "markup-duplicate-id": (
        "id {id!r} is used again (first at line {first_line}).",
        "id {id!r}가 중복 사용되었습니다(처음 사용: {first_line}행).",
    ),
    "markup-truncated": (
        "Only the first {checked} bytes of the {size}-byte source were checked.",
        "소스 {size}바이트 중 처음 {checked}바이트만 검사했습니다.",
    ),
    "markup-no-source": (
        "The raw HTML source could not be read: {reason}.",
        "HTML 원본을 읽을 수 없습니다: {reason}.",
    ),
    # mobile checks (phone emulation only)
    "target-small": (
        "Touch target is {width}×{height} CSS px, smaller than {min}×{min}, and too close to another target "
        "(a {min} px circle around it touches it).",
        "터치 대상이 {width}×{height} CSS px로 {min}×{min} px보다 작고, 다른 대상과 너무 가깝습니다"
        "(지름 {min} px 원이 다른 대상에 닿습니다).",
    ),
    "target-ok": (
        "{ok} of {checked} touch targets are at least {min}×{min} CSS px; {spaced} smaller ones have enough space "
        "around them.",
        "터치 대상 {checked}개 중 {ok}개가 {min}×{min} CSS px 이상이고, 더 작은 {spaced}개는 주변 간격이 충분합니다.",
    ),
    "target-none": ("No visible touch targets to measure.", "측정할 터치 대상이 없습니다."),
    "zoom-blocked": (
        "The viewport meta blocks zooming ({problems}): content {content!r}.",
        "뷰포트 메타 태그가 화면 확대를 막습니다({problems}). content {content!r}.",
    ),
    "zoom-ok": (
        "The viewport meta ({content!r}) lets users zoom.",
        "뷰포트 메타 태그({content!r})가 화면 확대를 허용합니다.",
    ),
    "zoom-no-viewport": (
        "No viewport meta: nothing blocks zooming.",
        "뷰포트 메타 태그가 없어 화면 확대를 막는 설정이 없습니다.",
    ),
    "reflow-overflow": (
        "At {viewport} CSS px wide the page scrolls sideways ({width} px of content): this element sticks out "
        "{overflow} px.",
        "폭 {viewport} CSS px에서 페이지가 가로로 스크롤됩니다(콘텐츠 폭 {width} px). 이 요소가 {overflow} px 넘칩니다.",
    ),
    "reflow-scroll": (
        "At {viewport} CSS px wide the page scrolls sideways ({width} px of content).",
        "폭 {viewport} CSS px에서 페이지가 가로로 스크롤됩니다(콘텐츠 폭 {width} px).",
    ),
    "reflow-2d": (
        "At {viewport} CSS px wide only tables, images, maps or code scroll sideways ({width} px): check that "
        "they need two-dimensional layout.",
        "폭 {viewport} CSS px에서 표·이미지·지도·코드만 가로로 넘칩니다(폭 {width} px). 2차원 배치가 꼭 필요한지 확인하세요.",
    ),
    "reflow-fixed-width": (
        "The page lays out {width} CSS px wide on a {viewport} px screen (no width=device-width viewport): "
        "check that it reflows when zoomed.",
        "{viewport} px 화면에서 페이지가 {width} CSS px 폭으로 배치됩니다(width=device-width 뷰포트 없음). "
        "확대했을 때 재배치되는지 확인하세요.",
    ),
    "reflow-ok": (
        "At {viewport} CSS px wide the content reflows without horizontal scrolling.",
        "폭 {viewport} CSS px에서 가로 스크롤 없이 콘텐츠가 재배치됩니다.",
    ),
    "reflow-not-measured": (
        "Reflow could not be measured ({reason}).",
        "재배치(리플로우)를 측정하지 못했습니다({reason}).",
    ),
    "orientation-script": (
        "A script locks the screen orientation to {orientation!r}.",
        "스크립트가 화면 방향을 {orientation!r}(으)로 고정합니다.",
    ),
    "orientation-css": (
        "A CSS rule for {media} {how}s the whole page: the content is only usable in one orientation.",
        "{media} 조건의 CSS 규칙이 페이지 전체를 회전하거나 숨깁니다({how}). 한 방향에서만 콘텐츠를 쓸 수 있습니다.",
    ),
    "orientation-ok": (
        "No orientation lock found in scripts or style sheets ({unreadable} style sheets could not be read).",
        "스크립트와 스타일 시트에서 화면 방향 고정을 찾지 못했습니다(읽을 수 없는 스타일 시트 {unreadable}개).",
    ),
    "gesture-no-alternative": (
        "Element handles {events} (a swipe or drag area) with no button beside it: check that every function "
        "also works with a single tap.",
        "{events} 이벤트를 처리하는 영역(밀기·끌기)에 버튼이 없습니다. 모든 기능을 한 번의 탭으로도 쓸 수 있는지 확인하세요.",
    ),
    "gesture-with-buttons": (
        "Element handles {events} and has buttons beside it (a single-pointer way).",
        "{events} 이벤트를 처리하는 영역 옆에 버튼이 있습니다(단일 포인터 대안).",
    ),
    "gesture-none": (
        "No swipe, drag or multi-touch handlers found.",
        "밀기·끌기·멀티 터치 처리기가 없습니다.",
    ),
    # engine notes
    "page-still-loading": (
        "The page was still loading after {seconds} s; it was audited as it was then.",
        "{seconds}초가 지나도 페이지 로딩이 끝나지 않아 그 시점의 상태로 검사했습니다.",
    ),
    "check-failed": (
        "This check could not run on the page ({message}); decide by hand.",
        "이 검사를 페이지에서 실행하지 못했습니다({message}). 직접 판정하세요.",
    ),
    "page-facts-failed": (
        "Collecting the page's {check} failed ({message}).",
        "페이지의 {check} 수집에 실패했습니다({message}).",
    ),
    "check-truncated": (
        "{count} more findings of this check on the page were not listed (limit {limit} per check).",
        "이 검사의 결과 {count}건은 목록에서 생략되었습니다(검사당 {limit}건 제한).",
    ),
}

_OUTCOME_KO = {"violation": "위반", "pass": "통과", "incomplete": "검토 필요", "inapplicable": "해당 없음"}


def render(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """(English, Korean) text of a check finding."""
    en, ko = MESSAGES[code]
    safe = _Defaulting(params)
    return en.format_map(safe), ko.format_map(safe)


def axe_messages(help_text: str, outcome: str, item: KwcagItem | None) -> tuple[str, str]:
    """(English, Korean) text of an axe finding: axe's help, with the KWCAG item named in Korean."""
    label = _OUTCOME_KO.get(outcome, outcome)
    if item is None:
        return help_text, f"[모범 사례·KWCAG 항목 없음] {label}: {help_text}"
    return help_text, f"[{item.id} {item.name_ko}] {label}: {help_text}"


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"

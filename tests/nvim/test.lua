-- A real-client test of `plancheck lsp` in headless Neovim (0.7+), run by tests/nvim/run.sh:
--   PLANCHECK_BIN=... PLANCHECK_FILE=... PLANCHECK_ROOT=... \
--   nvim --headless -u NONE -i NONE --cmd 'set rtp+=editors/nvim' -c 'luafile tests/nvim/test.lua'
-- PLANCHECK_FILE is a copy of tests/nvim/fixture.plan (one rating-mismatch: 定量評価 C, computed
-- D); PLANCHECK_ROOT the folder holding plancheck.toml above it. Every step has a timeout;
-- the first failure prints why and exits with status 1, success prints the count and exits 0.

local TIMEOUT = 15000 -- ms, for anything the server has to do

local passed = 0
local function out(text)
  io.stdout:write(text .. '\n')
  io.stdout:flush()
end

local function finish(failure)
  if failure then
    out('FAIL: ' .. failure)
    out(('nvim lsp test: %d passed, 1 failed'):format(passed))
    vim.cmd('cquit 1')
  else
    out(('nvim lsp test: %d passed, 0 failed'):format(passed))
    vim.cmd('qall!')
  end
end

-- A step: fails with a message (error) or passes.
local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    error({ step = name, message = tostring(type(err) == 'table' and err.message or err) }, 0)
  end
  passed = passed + 1
  out('ok ' .. passed .. ' - ' .. name)
end

local function fail(message)
  error({ message = message }, 0)
end

local function check(cond, message, ...)
  if not cond then
    fail(message:format(...))
  end
end

local function wait(what, cond)
  if not vim.wait(TIMEOUT, cond, 20) then
    fail(('timed out after %d ms waiting for %s'):format(TIMEOUT, what))
  end
end

local bin, file, root = os.getenv('PLANCHECK_BIN'), os.getenv('PLANCHECK_FILE'), os.getenv('PLANCHECK_ROOT')

local raw = {} -- file name -> the last publishDiagnostics params, as sent by the server
local exit_code -- the server's exit status once it has stopped
local bufnr, client, uri, name, original, target -- target: {lnum, line, byte, char} of `定量評価: C`

local function diagnostics()
  return vim.diagnostic.get(bufnr)
end

-- API differences between Neovim 0.7 and newer releases.
local function buffer_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
end
local function buffer_version() -- the version the client sends with didOpen/didChange
  if vim.fn.has('nvim-0.11') == 1 then
    return vim.api.nvim_buf_get_changedtick(bufnr)
  end
  return vim.lsp.util.buf_versions[bufnr]
end
local function utf16_index(line, byte)
  if vim.fn.has('nvim-0.11') == 1 then
    return vim.str_utfindex(line, 'utf-16', byte)
  end
  return select(2, vim.str_utfindex(line, byte))
end

local function main()
  step('build_parser() compiles the grammar into a parser Neovim loads', function()
    local path, err = require('plancheck').build_parser()
    check(path, 'build_parser failed: %s', tostring(err))
    check(vim.fn.filereadable(path) == 1, 'no parser at %s', path)
  end)

  step('setup() registers the plan filetype and attaches the server', function()
    check(bin and file and root, 'set PLANCHECK_BIN, PLANCHECK_FILE and PLANCHECK_ROOT (tests/nvim/run.sh does)')
    vim.cmd('filetype on')
    require('plancheck').setup({
      cmd = { bin, 'lsp' },
      handlers = {
        ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
          -- keyed by file name: URIs may differ in percent-encoding case (%e4 vs %E4)
          raw[vim.uri_to_fname(result.uri)] = result
          return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        end,
      },
      on_exit = function(code) exit_code = code end,
    })
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    bufnr = vim.api.nvim_get_current_buf()
    uri = vim.uri_from_bufnr(bufnr)
    name = vim.api.nvim_buf_get_name(bufnr)
    check(vim.bo[bufnr].filetype == 'plan', 'filetype is %q, expected "plan"', vim.bo[bufnr].filetype)
    wait('the client to attach and initialize', function()
      if exit_code ~= nil then
        fail(('the server exited with status %s before initializing (cmd: %s lsp)'):format(exit_code, bin))
      end
      for _, c in pairs(buffer_clients()) do
        if c.name == 'plancheck' and c.initialized then
          client = c
          return true
        end
      end
      return false
    end)
    check(client.config.root_dir == root, 'root_dir is %q, expected %q (the folder of plancheck.toml)', tostring(client.config.root_dir), root)
    check(client.offset_encoding == 'utf-16' or client.offset_encoding == 'utf-8', 'unexpected offset encoding %q', tostring(client.offset_encoding))
    original = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
    for i, line in ipairs(original) do
      local byte = line:find('定量評価: C', 1, true)
      if byte then
        byte = byte + #'定量評価: ' - 1 -- 0-based byte column of C
        local char = client.offset_encoding == 'utf-8' and byte or utf16_index(line, byte)
        target = { lnum = i - 1, line = line, byte = byte, char = char }
      end
    end
    check(target, 'the fixture has no line `定量評価: C`')
  end)

  step("tree-sitter highlights the buffer with the grammar's queries", function()
    check(vim.treesitter.highlighter.active[bufnr], 'no tree-sitter highlighter on the plan buffer')
    local parser = vim.treesitter.get_parser(bufnr, 'plan')
    local tree = parser:parse()[1]
    check(not tree:root():has_error(), 'the fixture parses with errors: %s', tree:root():sexpr())
    local get_query = (vim.treesitter.query and vim.treesitter.query.get) or vim.treesitter.get_query
    local node_text = vim.treesitter.get_node_text or vim.treesitter.query.get_node_text
    for _, name in ipairs({ 'folds', 'indents' }) do
      check(get_query('plan', name), 'queries/plan/%s.scm was not found on the runtimepath', name)
    end
    local highlights = get_query('plan', 'highlights')
    check(highlights, 'queries/plan/highlights.scm was not found on the runtimepath')
    local seen = {}
    for id, node in highlights:iter_captures(tree:root(), bufnr, 0, -1) do
      seen[highlights.captures[id] .. ' ' .. node_text(node, bufnr)] = true
    end
    -- Values are told apart by #match? predicates (vim regex here, Rust regex in Helix).
    for _, expected in ipairs({ 'keyword 施策', 'keyword 指標', 'number 1-1-1', 'string.special 健康づくりと疾病予防の推進',
      'property 定量評価', 'constant C', 'constant Ｃ', 'constant 中', 'number 5,900人', 'string 健康づくり課',
      'punctuation.special |', 'punctuation.delimiter ：' }) do
      check(seen[expected], 'no capture %q among %s', expected, vim.inspect(vim.tbl_keys(seen)))
    end
    check(not seen['string C'] and not seen['number C'], 'the grade C is also captured as prose or a number')
  end)

  local lsp_diagnostic
  step('the server publishes rating-mismatch at the stated grade', function()
    local opened = buffer_version()
    wait(('diagnostics for %s version %d'):format(uri, opened), function() return raw[name] ~= nil and raw[name].version == opened end)
    local found = diagnostics()
    check(#found == 1, 'expected exactly 1 diagnostic, got %d: %s', #found, vim.inspect(found))
    local d = found[1]
    check(d.code == 'rating-mismatch', 'code is %q, expected "rating-mismatch"', tostring(d.code))
    check(d.source == 'plancheck', 'source is %q', tostring(d.source))
    check(d.severity == vim.diagnostic.severity.WARN, 'severity is %s, expected WARN', tostring(d.severity))
    check(d.lnum == target.lnum and d.col == target.byte and d.end_lnum == target.lnum and d.end_col == target.byte + 1,
      'at %d:%d-%d:%d (0-based line:byte), expected %d:%d-%d:%d, the C of %q',
      d.lnum, d.col, d.end_lnum, d.end_col, target.lnum, target.byte, target.lnum, target.byte + 1, target.line)
    check(d.message:find('D', 1, true), 'message does not name the computed grade D: %s', d.message)
    lsp_diagnostic = raw[name].diagnostics[1]
    local r = lsp_diagnostic.range
    check(r.start.line == target.lnum and r.start.character == target.char and r['end'].line == target.lnum and r['end'].character == target.char + 1,
      'LSP range %s, expected line %d characters %d-%d (%s)', vim.inspect(r), target.lnum, target.char, target.char + 1, client.offset_encoding)
  end)

  local action
  step('textDocument/codeAction offers the quick fix C -> D', function()
    local params = { textDocument = { uri = uri }, range = lsp_diagnostic.range, context = { diagnostics = { lsp_diagnostic } } }
    local results, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, TIMEOUT)
    check(results, 'codeAction request failed: %s', tostring(err))
    local response = results[client.id]
    check(response and not response.err, 'codeAction error: %s', vim.inspect(response))
    for _, a in ipairs(response.result or {}) do
      if a.kind == 'quickfix' and a.edit and a.isPreferred then
        action = a
      end
    end
    check(action, 'no preferred quickfix with an edit among %s', vim.inspect(response.result))
    local edits, files = nil, 0
    for u, e in pairs(action.edit.changes or {}) do
      files = files + 1
      if vim.uri_to_fname(u) == name then
        edits = e
      end
    end
    check(files == 1 and edits and #edits == 1 and edits[1].newText == 'D', 'the fix does not replace by D in %s: %s', uri, vim.inspect(action.edit))
    check(vim.deep_equal(edits[1].range, lsp_diagnostic.range), 'the fix edits %s, not the diagnostic range %s', vim.inspect(edits[1].range), vim.inspect(lsp_diagnostic.range))
  end)

  step('applying the WorkspaceEdit turns the line into `定量評価: D`', function()
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    local now = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
    local expected = vim.deepcopy(original)
    expected[target.lnum + 1] = target.line:gsub('定量評価: C', '定量評価: D')
    check(now[target.lnum + 1] == expected[target.lnum + 1], 'line %d reads %q, expected %q', target.lnum, now[target.lnum + 1], expected[target.lnum + 1])
    check(vim.deep_equal(now, expected), 'other lines changed too:\n%s', table.concat(now, '\n'))
  end)

  step('the diagnostics update: rating-mismatch is gone', function()
    wait('the rating-mismatch diagnostic to disappear', function() return #diagnostics() == 0 end)
    local version = buffer_version()
    wait(('a publication for the edited version %d'):format(version), function() return raw[name].version == version end)
    check(#raw[name].diagnostics == 0, 'the last publication still holds %s', vim.inspect(raw[name].diagnostics))
  end)

  step('textDocument/formatting answers and matches `plancheck fmt`', function()
    local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n'
    local expected = vim.fn.system({ bin, 'fmt', '-' }, text)
    check(vim.v.shell_error == 0, '`plancheck fmt -` failed (%d): %s', vim.v.shell_error, expected)
    local params = vim.lsp.util.make_formatting_params({})
    local results, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/formatting', params, TIMEOUT)
    check(results, 'formatting request failed: %s', tostring(err))
    local response = results[client.id]
    check(response and not response.err, 'formatting error: %s', vim.inspect(response))
    check(type(response.result) == 'table', 'formatting returned %s, expected a list of edits', vim.inspect(response.result))
    check(#response.result > 0, 'formatting returned no edit, but the fixture is not formatted')
    vim.lsp.util.apply_text_edits(response.result, bufnr, client.offset_encoding)
    local formatted = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n'
    check(formatted == expected, 'buffer after formatting:\n%s\ndiffers from `plancheck fmt -`:\n%s', formatted, expected)
  end)

  step('formatting again is a no-op and the buffer stays clean', function()
    wait('the server to see the formatted text', function() return raw[name] and raw[name].version == buffer_version() end)
    local results, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/formatting', vim.lsp.util.make_formatting_params({}), TIMEOUT)
    check(results and results[client.id] and not results[client.id].err, 'formatting failed: %s %s', tostring(err), vim.inspect(results))
    local edits = results[client.id].result
    check(edits == nil or #edits == 0, 'second formatting still edits: %s', vim.inspect(edits))
    check(#diagnostics() == 0, 'diagnostics after formatting: %s', vim.inspect(diagnostics()))
  end)

  step('the server shuts down cleanly', function()
    vim.lsp.stop_client(client.id)
    wait('the server to exit', function() return exit_code ~= nil end)
    check(exit_code == 0, 'the server exited with status %s', tostring(exit_code))
  end)
end

-- A watchdog: if a step somehow blocks the event loop less than forever but more than this,
-- quit anyway (run.sh's `timeout` covers the rest).
local WATCHDOG = 50000 -- ms
vim.defer_fn(function() finish(('watchdog: the test took more than %d ms'):format(WATCHDOG)) end, WATCHDOG)

local ok, err = pcall(main)
if ok then
  finish()
else
  local e = type(err) == 'table' and err or { message = tostring(err) }
  finish((e.step and (e.step .. ': ') or '') .. e.message)
end

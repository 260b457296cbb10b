--- plancheck for Neovim (0.7 and newer): the `plan` filetype and the language server.
---
--- Install: put this folder (`editors/nvim`, the one holding `lua/plancheck.lua`) on your
--- runtimepath and call setup() from your init.lua, e.g.
---
---     vim.opt.runtimepath:append('/path/to/plancheck/editors/nvim')
---     require('plancheck').setup()                  -- `plancheck` must be on $PATH
---     -- or: require('plancheck').setup({ cmd = { '/path/to/plancheck', 'lsp' } })
---
--- (with a plugin manager: lazy.nvim `{ dir = '/path/to/plancheck/editors/nvim' }`.)
---
--- What it does:
---   * `*.plan` files get the filetype `plan` (vim.filetype.add on Neovim 0.8+; on 0.7,
---     where filetype.lua is opt-in, an autocmd as well);
---   * every `plan` buffer is attached to `plancheck lsp` (diagnostics, quick fixes with
---     vim.lsp.buf.code_action(), formatting, hover, symbols, ...). One server runs per
---     project root: the nearest folder above the file holding `plancheck.toml` or `.git`,
---     else the file's own folder. Uses vim.lsp.start when it exists (0.8+), else
---     vim.lsp.start_client + vim.lsp.buf_attach_client. No nvim-lspconfig needed.
---
--- setup(opts) options (all optional):
---   cmd          = { 'plancheck', 'lsp' }       the server command
---   root_markers = { 'plancheck.toml', '.git' }  what marks a project root
---   init_options = { lang = 'en' }              messages in English (default Japanese)
---   any other vim.lsp client option (on_attach, capabilities, handlers, on_exit, ...).
local M = {}

local defaults = { name = 'plancheck', cmd = { 'plancheck', 'lsp' }, root_markers = { 'plancheck.toml', '.git' } }
local config = vim.deepcopy(defaults)
local clients = {} -- root folder -> client id (Neovim 0.7 only; vim.lsp.start reuses by itself)

--- Registers the `plan` filetype for `*.plan`.
function M.filetype()
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { plan = 'plan' } })
  end
  if vim.fn.has('nvim-0.8') == 0 then -- 0.7 reads vim.filetype.add only with g:do_filetype_lua
    vim.cmd([[
      augroup plancheck_filetype
        autocmd!
        autocmd BufRead,BufNewFile *.plan setfiletype plan
      augroup END
    ]])
  end
end

--- The project root of a file: the nearest folder holding a root marker, else its folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local current = dir
  while true do
    for _, marker in ipairs(config.root_markers) do
      if vim.loop.fs_stat(current .. '/' .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then
      return dir
    end
    current = parent
  end
end

--- Starts (or reuses) the server for a buffer's project and attaches it; returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil -- the server works on files
  end
  local client_config = vim.tbl_extend('force', {}, config, { root_dir = M.root_dir(name) })
  client_config.root_markers = nil
  if vim.lsp.start then
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end
  local id = clients[client_config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config)
    clients[client_config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Registers the filetype and attaches the server to every `plan` buffer, now and later.
function M.setup(opts)
  config = vim.tbl_extend('force', vim.deepcopy(defaults), opts or {})
  M.filetype()
  local group = vim.api.nvim_create_augroup('plancheck_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'plan',
    callback = function(args) M.attach(args.buf) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'plan' then
      M.attach(bufnr)
    end
  end
end

return M

#include <volback/restic/snapshot_reader.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <volback/restic/pack.hpp>

namespace volback::restic {

namespace {

// At most this many blobs wait in the read-ahead window (tiny files would otherwise make a
// 32 MiB window hold millions of entries).
constexpr std::size_t k_reader_max_window_blobs = 4096;
constexpr auto k_reader_poll = std::chrono::milliseconds(50);

using ReaderTreeLoader = std::function<util::Result<std::vector<Node>>(const Id&)>;

// A lazy depth-first walk over a tree: the trees of the current path only.
class ReaderTreeCursor {
 public:
  ReaderTreeCursor(ReaderTreeLoader load, const Id& root) : m_load(std::move(load)), m_root(root) {}

  util::Result<std::optional<SnapshotEntry>> next() {
    if (!m_started) {
      m_started = true;
      VOLBACK_TRY(push(m_root, ""));
    }
    if (m_pending_dir) {
      const Id subtree = *m_pending_dir;
      m_pending_dir.reset();
      VOLBACK_TRY(push(subtree, m_pending_path + "/"));
    }
    while (!m_stack.empty() && m_stack.back().next == m_stack.back().nodes.size()) {
      m_stack.pop_back();
    }
    if (m_stack.empty()) {
      return std::optional<SnapshotEntry>();
    }
    Frame& top = m_stack.back();
    SnapshotEntry entry{.path = top.prefix, .node = std::move(top.nodes[top.next++])};
    entry.path += entry.node.name;
    if (entry.node.type == NodeType::dir && entry.node.subtree) {
      m_pending_dir = *entry.node.subtree;
      m_pending_path = entry.path;
    }
    return std::optional<SnapshotEntry>(std::move(entry));
  }

 private:
  struct Frame {
    Id tree;
    std::vector<Node> nodes;
    std::size_t next = 0;
    std::string prefix;
  };

  util::Result<void> push(const Id& tree, std::string prefix) {
    if (m_stack.size() >= k_max_tree_depth) {
      return util::fail(util::ErrorKind::corrupt,
                        fmt::format("{}: the tree is deeper than {} levels", prefix, k_max_tree_depth));
    }
    for (const auto& frame : m_stack) {
      if (frame.tree == tree) {
        return util::fail(util::ErrorKind::corrupt,
                          fmt::format("{}: tree {} contains itself", prefix, tree.short_hex()));
      }
    }
    VOLBACK_TRY_ASSIGN(auto nodes, m_load(tree));
    m_stack.push_back({tree, std::move(nodes), 0, std::move(prefix)});
    return {};
  }

  ReaderTreeLoader m_load;
  Id m_root;
  bool m_started = false;
  std::vector<Frame> m_stack;
  std::optional<Id> m_pending_dir;
  std::string m_pending_path;
};

// One data blob of the read-ahead window.
struct ReaderSlot {
  std::uint64_t seq = 0;  // the blob's position among all content blobs in walk order
  Id id;
  std::size_t size = 0;  // plaintext bytes, as the index says
  bool done = false;
  std::optional<util::Result<std::string>> result;
};

}  // namespace

struct SnapshotReader::State {
  State(Repository& repository_in, const BlobIndex& index_in, const Id& root_in, const util::CancelToken& cancel_in,
        SnapshotReaderOptions options_in)
    : repository(repository_in),
      index(index_in),
      root(root_in),
      cancel(cancel_in),
      options(options_in),
      cursor([this](const Id& id) { return load_tree_blob(id); }, root_in) {}

  // The plaintext of a blob, verified.
  util::Result<std::string> fetch_blob(BlobType type, const Id& id) {
    const auto location = index.find(type, id);
    if (!location) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("{} blob {} is not in the index", blob_type_name(type), id.short_hex()));
    }
    util::Result<std::string> stored;
    if (options.serialize_backend) {
      const std::lock_guard lock(backend_mutex);
      stored = repository.read_range(FileType::pack, location->pack, location->offset, location->length);
    } else {
      stored = repository.read_range(FileType::pack, location->pack, location->offset, location->length);
    }
    if (!stored) {
      return util::fail(stored.error());
    }
    const PackedBlob blob{.type = type,
                          .id = id,
                          .offset = location->offset,
                          .length = location->length,
                          .uncompressed_length = location->uncompressed_length};
    auto plaintext = open_blob(repository.key(), blob, *stored);
    if (!plaintext) {
      return util::fail(plaintext.error().with_context(
        fmt::format("{} blob {} in pack {}", blob_type_name(type), id.short_hex(), location->pack.short_hex())));
    }
    return plaintext;
  }

  util::Result<std::vector<Node>> load_tree_blob(const Id& id) {
    VOLBACK_TRY(cancel.check());
    VOLBACK_TRY_ASSIGN(const std::string json, fetch_blob(BlobType::tree, id));
    auto nodes = parse_tree(json);
    if (!nodes) {
      return util::fail(nodes.error().with_context("tree " + id.short_hex()));
    }
    return nodes;
  }

  // The read-ahead cursor: plans the content blobs into the window, in walk order.
  void plan() {
    ReaderTreeCursor ahead([this](const Id& id) { return load_tree_blob(id); }, root);
    std::uint64_t seq = 0;
    for (;;) {
      auto entry = ahead.next();
      if (!entry || !*entry) {
        break;  // an error: the consumer's own walk meets it and reports it
      }
      const Node& node = (*entry)->node;
      if (node.type != NodeType::file || !node.content) {
        continue;
      }
      for (const Id& id : *node.content) {
        const auto location = index.find(BlobType::data, id);
        auto slot = std::make_shared<ReaderSlot>();
        slot->seq = seq++;
        slot->id = id;
        slot->size =
          location ? (location->uncompressed_length ? *location->uncompressed_length : location->length - 32) : 0;
        std::unique_lock lock(mutex);
        while (!stopping && !cancel.requested() && !window.empty() &&
               (window_used + slot->size > options.window_bytes || window.size() >= k_reader_max_window_blobs)) {
          changed.wait_for(lock, k_reader_poll);
        }
        if (stopping || cancel.requested()) {
          planner_done = true;
          changed.notify_all();
          return;
        }
        window_used += slot->size;
        window.push_back(std::move(slot));
        changed.notify_all();
      }
    }
    const std::lock_guard lock(mutex);
    planner_done = true;
    changed.notify_all();
  }

  // A fetcher: opens the window's blobs in order.
  void fetch() {
    for (;;) {
      std::shared_ptr<ReaderSlot> slot;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
          if (!window.empty() && next_fetch_seq < window.front()->seq) {
            next_fetch_seq = window.front()->seq;
          }
          return stopping || (!window.empty() && next_fetch_seq - window.front()->seq < window.size());
        });
        if (stopping) {
          return;
        }
        slot = window[next_fetch_seq - window.front()->seq];
        ++next_fetch_seq;
      }
      util::Result<std::string> result = util::fail(util::ErrorKind::cancelled, "cancelled");
      if (!cancel.requested()) {
        result = fetch_blob(BlobType::data, slot->id);
      }
      const std::lock_guard lock(mutex);
      slot->result = std::move(result);
      slot->done = true;
      changed.notify_all();
    }
  }

  // The content blob `seq`: from the window when it holds it, else fetched here.
  util::Result<std::string> take(std::uint64_t seq, const Id& id) {
    if (!threads.empty()) {
      std::unique_lock lock(mutex);
      for (;;) {
        while (!window.empty() && window.front()->seq < seq) {
          window_used -= window.front()->size;
          window.pop_front();
          changed.notify_all();
        }
        if (cancel.requested()) {
          return util::fail(util::ErrorKind::cancelled, "cancelled");
        }
        if (!window.empty() && window.front()->seq == seq && window.front()->done) {
          auto slot = std::move(window.front());
          window.pop_front();
          window_used -= slot->size;
          changed.notify_all();
          if (slot->id == id) {
            return std::move(*slot->result);
          }
          break;  // the cursors disagree (cannot happen with the same trees): fetch it here
        }
        if (window.empty() && planner_done) {
          break;
        }
        changed.wait_for(lock, k_reader_poll);
      }
    }
    return fetch_blob(BlobType::data, id);
  }

  Repository& repository;
  const BlobIndex& index;
  Id root;
  const util::CancelToken& cancel;
  SnapshotReaderOptions options;
  std::mutex backend_mutex;

  // The consumer.
  ReaderTreeCursor cursor;
  std::optional<util::Error> error;
  std::vector<Id> content;  // of the file next() returned last
  std::size_t content_next = 0;
  std::uint64_t content_first_seq = 0;
  std::uint64_t blobs_walked = 0;  // content blobs of the files next() returned

  // The read-ahead window, guarded by `mutex`.
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::shared_ptr<ReaderSlot>> window;
  std::size_t window_used = 0;
  std::uint64_t next_fetch_seq = 0;
  bool planner_done = false;
  bool stopping = false;
  std::vector<std::thread> threads;
};

SnapshotReader::SnapshotReader(Repository& repository, const BlobIndex& index, const Id& root_tree,
                               const util::CancelToken& cancel, SnapshotReaderOptions options)
  : m_state(std::make_unique<State>(repository, index, root_tree, cancel, options)) {
  index.sort();
  if (options.fetchers > 0) {
    m_state->threads.emplace_back([state = m_state.get()] { state->plan(); });
    for (unsigned i = 0; i < options.fetchers; ++i) {
      m_state->threads.emplace_back([state = m_state.get()] { state->fetch(); });
    }
  }
}

SnapshotReader::~SnapshotReader() {
  {
    const std::lock_guard lock(m_state->mutex);
    m_state->stopping = true;
  }
  m_state->changed.notify_all();
  for (auto& thread : m_state->threads) {
    thread.join();
  }
}

util::Result<std::optional<SnapshotEntry>> SnapshotReader::next() {
  State& s = *m_state;
  if (s.error) {
    return util::fail(*s.error);
  }
  s.content.clear();
  s.content_next = 0;
  util::Result<std::optional<SnapshotEntry>> entry = util::fail(util::ErrorKind::cancelled, "cancelled");
  if (!s.cancel.requested()) {
    entry = s.cursor.next();
  }
  if (!entry) {
    s.error = entry.error();
    return util::fail(entry.error());
  }
  if (*entry && (*entry)->node.type == NodeType::file && (*entry)->node.content) {
    s.content = *(*entry)->node.content;
    s.content_first_seq = s.blobs_walked;
    s.blobs_walked += s.content.size();
  }
  return entry;
}

util::Result<std::optional<std::string>> SnapshotReader::next_content() {
  State& s = *m_state;
  if (s.error) {
    return util::fail(*s.error);
  }
  if (s.content_next == s.content.size()) {
    return std::optional<std::string>();
  }
  const std::size_t k = s.content_next++;
  util::Result<std::string> blob = util::fail(util::ErrorKind::cancelled, "cancelled");
  if (!s.cancel.requested()) {
    blob = s.take(s.content_first_seq + k, s.content[k]);
  }
  if (!blob) {
    s.error = blob.error();
    return util::fail(blob.error());
  }
  return std::optional<std::string>(std::move(*blob));
}

}  // namespace volback::restic

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ColoredLots
/// @notice The money core's one way to hold and move money, as chaincode/core/lots.ts and
/// provenance.ts: a balance is a set of lots, one per (account, color), consumed FIFO by the
/// color's arrival at the account; each lot and each withdrawal sink knows which mirrored deposits
/// its fen came from. A take shares its amount over the lot's sources pro rata in exact fen
/// (largest remainder, sources in byte order of their ids, ties to the earlier source), the
/// rule of chaincode/lib/apportion.ts, so a trace reads the same numbers on either ledger.
/// @dev Node ids are the chaincode's texts: a lot `<account>/<color>`, a source
/// `deposit:<bank>:<offTxId>`, a sink `withdrawal:<bank>:<offTxId>`; storage keys are their keccak256.
abstract contract ColoredLots {
    /// @notice The fen of one source in a lot or sink.
    struct Share {
        string source;
        uint256 amount;
    }

    /// @notice One lot a debit took from: its color, the fen taken and their sources.
    struct Take {
        string color;
        uint256 amount;
        Share[] sources;
    }

    struct Holding {
        uint256 balance;
        string[] colors; // arrival order: the FIFO queue
        mapping(bytes32 color => uint256) lots;
    }

    mapping(bytes32 account => Holding) private _holdings;
    mapping(bytes32 node => string[]) private _sources; // sorted, only sources holding fen
    mapping(bytes32 node => mapping(bytes32 source => uint256)) private _shares;
    mapping(bytes32 source => string[]) private _holders; // every node that ever held the source
    mapping(bytes32 source => mapping(bytes32 node => bool)) private _held;

    /// @notice The account holds less than the amount asked.
    error InsufficientFunds(uint256 available, uint256 needed);

    /// @notice The colors an account holds, oldest arrival first (the FIFO order), with their fen.
    /// @param account The account id.
    /// @return colors The colors.
    /// @return amounts Their fen.
    function lotsOf(string calldata account) external view returns (string[] memory colors, uint256[] memory amounts) {
        Holding storage h = _holdings[_key(account)];
        colors = h.colors;
        amounts = new uint256[](colors.length);
        for (uint256 i = 0; i < colors.length; i++) amounts[i] = h.lots[_key(colors[i])];
    }

    /// @notice Which deposits the fen of a lot or sink came from, sources in byte order.
    /// @param node A lot (`<account>/<color>`) or sink (`withdrawal:<bank>:<offTxId>`).
    /// @return shares The sources and their fen.
    function sourcesOf(string calldata node) external view returns (Share[] memory shares) {
        return _sharesOf(_key(node));
    }

    /// @notice Where a deposit's fen are now: every lot or sink holding some, in order of first arrival.
    /// @param source The deposit node `deposit:<bank>:<offTxId>`.
    /// @return shares The nodes (in `source`) and the fen of the deposit each holds.
    function holdersOf(string calldata source) external view returns (Share[] memory shares) {
        bytes32 s = _key(source);
        string[] storage nodes = _holders[s];
        uint256 n;
        for (uint256 i = 0; i < nodes.length; i++) if (_shares[_key(nodes[i])][s] > 0) n++;
        shares = new Share[](n);
        n = 0;
        for (uint256 i = 0; i < nodes.length; i++) {
            uint256 amount = _shares[_key(nodes[i])][s];
            if (amount > 0) shares[n++] = Share(nodes[i], amount);
        }
    }

    function _balanceOf(string memory account) internal view returns (uint256) {
        return _holdings[_key(account)].balance;
    }

    /// @dev Adds money of `color` from `sources` to an account, merging into its lot of that color (a new lot goes last).
    function _credit(string memory account, string memory color, Share[] memory sources) internal returns (uint256 amount) {
        Holding storage h = _holdings[_key(account)];
        for (uint256 i = 0; i < sources.length; i++) amount += sources[i].amount;
        bytes32 c = _key(color);
        if (h.lots[c] == 0) h.colors.push(color);
        h.lots[c] += amount;
        h.balance += amount;
        _addSources(string.concat(account, "/", color), sources);
    }

    /// @dev Takes `amount` from the account's lots FIFO with their sources; drops emptied lots (always the oldest).
    function _debit(string memory account, uint256 amount) internal returns (Take[] memory takes) {
        Holding storage h = _holdings[_key(account)];
        if (h.balance < amount) revert InsufficientFunds(h.balance, amount);
        uint256 legs;
        uint256 left = amount;
        for (; left > 0; legs++) left -= _min(h.lots[_key(h.colors[legs])], left);
        takes = new Take[](legs);
        left = amount;
        for (uint256 i = 0; i < legs; i++) {
            bytes32 c = _key(h.colors[i]);
            uint256 lot = h.lots[c];
            uint256 take = _min(lot, left);
            Share[] memory sources = _takeSources(_key(string.concat(account, "/", h.colors[i])), take);
            takes[i] = Take(h.colors[i], take, sources);
            h.lots[c] = lot - take;
            left -= take;
        }
        h.balance -= amount;
        uint256 emptied = h.lots[_key(h.colors[legs - 1])] == 0 ? legs : legs - 1;
        if (emptied == 0) return takes;
        uint256 n = h.colors.length;
        for (uint256 i = emptied; i < n; i++) h.colors[i - emptied] = h.colors[i];
        for (uint256 i = 0; i < emptied; i++) h.colors.pop();
    }

    /// @dev Adds `sources` to what `node` holds, keeping its sources in byte order.
    function _addSources(string memory node, Share[] memory sources) internal {
        bytes32 n = _key(node);
        string[] storage list = _sources[n];
        for (uint256 i = 0; i < sources.length; i++) {
            if (sources[i].amount == 0) continue;
            bytes32 s = _key(sources[i].source);
            if (_shares[n][s] == 0) _insertSorted(list, sources[i].source);
            _shares[n][s] += sources[i].amount;
            if (!_held[s][n]) {
                _held[s][n] = true;
                _holders[s].push(node);
            }
        }
    }

    /// @dev Takes `amount` out of the lot `n`, shared over its sources pro rata in exact fen.
    function _takeSources(bytes32 n, uint256 amount) private returns (Share[] memory taken) {
        Share[] memory have = _sharesOf(n);
        uint256[] memory weights = new uint256[](have.length);
        for (uint256 i = 0; i < have.length; i++) weights[i] = have[i].amount;
        uint256[] memory parts = _apportion(amount, weights);
        uint256 count;
        for (uint256 i = 0; i < parts.length; i++) if (parts[i] > 0) count++;
        taken = new Share[](count);
        count = 0;
        for (uint256 i = 0; i < parts.length; i++) {
            if (parts[i] == 0) continue;
            taken[count++] = Share(have[i].source, parts[i]);
            _shares[n][_key(have[i].source)] -= parts[i];
        }
        _dropEmptySources(n);
    }

    function _dropEmptySources(bytes32 n) private {
        string[] storage list = _sources[n];
        uint256 kept;
        for (uint256 i = 0; i < list.length; i++) {
            if (_shares[n][_key(list[i])] == 0) continue;
            if (kept != i) list[kept] = list[i];
            kept++;
        }
        while (list.length > kept) list.pop();
    }

    function _sharesOf(bytes32 n) private view returns (Share[] memory shares) {
        string[] storage list = _sources[n];
        shares = new Share[](list.length);
        for (uint256 i = 0; i < list.length; i++) shares[i] = Share(list[i], _shares[n][_key(list[i])]);
    }

    /// @dev chaincode/lib/apportion.ts: floors, then one fen each by largest remainder, ties to the lower index.
    function _apportion(uint256 amount, uint256[] memory weights) internal pure returns (uint256[] memory parts) {
        parts = new uint256[](weights.length);
        uint256 total;
        for (uint256 i = 0; i < weights.length; i++) total += weights[i];
        if (total == 0) {
            if (parts.length > 0) parts[0] = amount;
            return parts;
        }
        uint256 left = amount;
        uint256[] memory rems = new uint256[](weights.length);
        for (uint256 i = 0; i < weights.length; i++) {
            parts[i] = (amount * weights[i]) / total;
            rems[i] = (amount * weights[i]) % total;
            left -= parts[i];
        }
        bool[] memory given = new bool[](weights.length);
        for (; left > 0; left--) {
            uint256 best = type(uint256).max;
            for (uint256 i = 0; i < weights.length; i++)
                if (!given[i] && (best == type(uint256).max || rems[i] > rems[best])) best = i;
            given[best] = true;
            parts[best] += 1;
        }
    }

    function _insertSorted(string[] storage list, string memory item) private {
        list.push(item);
        uint256 i = list.length - 1;
        for (; i > 0 && _less(item, list[i - 1]); i--) list[i] = list[i - 1];
        list[i] = item;
    }

    /// @dev Byte order of two strings (JavaScript's `<` for the ASCII ids the chaincode allows).
    function _less(string memory a, string memory b) internal pure returns (bool) {
        bytes memory x = bytes(a);
        bytes memory y = bytes(b);
        uint256 n = x.length < y.length ? x.length : y.length;
        for (uint256 i = 0; i < n; i++) if (x[i] != y[i]) return x[i] < y[i];
        return x.length < y.length;
    }

    function _key(string memory id) internal pure returns (bytes32) {
        return keccak256(bytes(id));
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title Forwarder
/// @notice The trusted forwarder of MoneyCore (OpenZeppelin ERC2771Forwarder): a member signs an
/// EIP-712 ForwardRequest with its own secp256k1 key (domain name "Lianjian", version "1"); a
/// relayer submits it; the forwarder checks the signature, the member's nonce and the deadline, and
/// calls MoneyCore with the member as the sender. The relayer never holds a member's key.
contract Forwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("Lianjian") {}
}

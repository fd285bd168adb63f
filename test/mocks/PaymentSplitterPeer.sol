// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { PaymentSplitter } from "@openzeppelin/contracts-v4/finance/PaymentSplitter.sol";

/// @notice OpenZeppelin Contracts 4.9's PaymentSplitter, unchanged, as the bench's peer.
contract PaymentSplitterPeer is PaymentSplitter {
    constructor(address[] memory payees, uint256[] memory shares_) payable PaymentSplitter(payees, shares_) {}
}
